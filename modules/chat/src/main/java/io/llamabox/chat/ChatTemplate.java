package io.llamabox.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llamabox.chat.jinja.Json;
import io.llamabox.chat.jinja.Strftime;
import io.llamabox.chat.jinja.Template;
import io.llamabox.chat.jinja.TemplateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a chat conversation into a model's prompt text, as the peer {@code llama-server} does: either
 * with a Jinja template (the model's {@code tokenizer.chat_template} or a file), or with one of the
 * built-in named formats of {@code --chat-template NAME}.
 *
 * <p>For a Jinja template it shapes the messages like the peer first (its {@link #capabilities()} decide
 * whether content is a string or a list of parts, whether a system message is merged into the next one,
 * whether tool-call arguments are objects), passes {@code messages}, {@code tools}, {@code bos_token},
 * {@code eos_token}, {@code add_generation_prompt} (defined only when true), {@code enable_thinking}
 * (when given), {@code datetime}, {@code date_string} and the request's template kwargs, and finally drops
 * a leading BOS / trailing EOS text that tokenization adds anyway.
 *
 * <p>A template is parsed and probed once; {@link #apply} is thread-safe.
 *
 * <pre>{@code
 * ChatTemplate t = ChatTemplate.jinja(source, new SpecialTokens("<s>", "</s>", true, false));
 * String prompt = t.apply(ChatRequest.of(messagesJson).withTools(toolsJson));
 * ChatTemplate named = ChatTemplate.builtin("chatml");
 * }</pre>
 */
public final class ChatTemplate {

    private static final Logger LOG = LoggerFactory.getLogger(ChatTemplate.class);

    private final String source;
    private final Template template;
    private final BuiltinFormat builtin;
    private final SpecialTokens tokens;
    private final TemplateCapabilities capabilities;
    private final Clock clock;

    private ChatTemplate(String source, Template template, BuiltinFormat builtin, SpecialTokens tokens,
                         TemplateCapabilities capabilities, Clock clock) {
        this.source = source;
        this.template = template;
        this.builtin = builtin;
        this.tokens = tokens;
        this.capabilities = capabilities;
        this.clock = clock;
    }

    /**
     * A Jinja chat template.
     *
     * @throws ChatTemplateException with {@link ChatTemplateException.Reason#INVALID_TEMPLATE} when the source
     *                               does not parse
     */
    public static ChatTemplate jinja(String source, SpecialTokens tokens) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(tokens, "tokens");
        Template t;
        try {
            t = Template.parse(source);
        } catch (TemplateException e) {
            throw new ChatTemplateException(ChatTemplateException.Reason.INVALID_TEMPLATE,
                    "invalid chat template: " + e.getMessage(), e);
        }
        TemplateCapabilities caps = CapabilityProbe.detect(t);
        LOG.debug("chat template capabilities: {}", caps);
        return new ChatTemplate(source, t, null, tokens, caps, Clock.systemDefaultZone());
    }

    /**
     * A built-in format by name ({@link #builtinNames()}).
     *
     * @throws ChatTemplateException with {@link ChatTemplateException.Reason#INVALID_TEMPLATE} for an unknown name
     */
    public static ChatTemplate builtin(String name) {
        BuiltinFormat f = BuiltinFormat.byName(name).orElseThrow(() -> new ChatTemplateException(
                ChatTemplateException.Reason.INVALID_TEMPLATE, "unknown built-in chat template '" + name
                + "'; built-in templates: " + String.join(", ", builtinNames())));
        return new ChatTemplate(null, null, f, SpecialTokens.NONE, TemplateCapabilities.DEFAULT,
                Clock.systemDefaultZone());
    }

    /** Whether {@code name} is one of the built-in formats. */
    public static boolean isBuiltinName(String name) {
        return BuiltinFormat.byName(name).isPresent();
    }

    /** The names {@link #builtin} accepts, in alphabetical order. */
    public static List<String> builtinNames() {
        return Arrays.stream(BuiltinFormat.values()).map(BuiltinFormat::templateName).sorted().toList();
    }

    /** The same template, with {@code strftime_now}, {@code datetime} and {@code date_string} read from {@code clock}. */
    public ChatTemplate withClock(Clock clock) {
        return new ChatTemplate(source, template, builtin, tokens, capabilities, Objects.requireNonNull(clock));
    }

    /** The Jinja source, or empty for a built-in format. */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /** The built-in format's name, or empty for a Jinja template. */
    public Optional<String> builtinName() {
        return builtin == null ? Optional.empty() : Optional.of(builtin.templateName());
    }

    public TemplateCapabilities capabilities() {
        return capabilities;
    }

    public SpecialTokens specialTokens() {
        return tokens;
    }

    /**
     * Renders the conversation.
     *
     * @throws ChatTemplateException when the request is malformed, the template refuses it
     *                               ({@code raise_exception}) or fails on it
     */
    public String apply(ChatRequest request) {
        List<ChatMessage> messages = ChatMessage.parseAll(request.messages());
        List<Object> tools = ChatMessage.parseTools(request.tools());
        return builtin != null ? applyBuiltin(messages, tools, request) : applyJinja(messages, tools, request);
    }

    private String applyBuiltin(List<ChatMessage> messages, List<Object> tools, ChatRequest request) {
        if (!tools.isEmpty()) {
            throw ChatMessage.invalid("tools need a Jinja chat template; the built-in template '"
                    + builtin.templateName() + "' cannot describe them");
        }
        List<BuiltinFormat.Turn> turns = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            StringBuilder content = new StringBuilder(m.content());
            for (ChatMessage.Part p : m.parts()) {
                if (!content.isEmpty()) {
                    content.append('\n');
                }
                content.append(p.text());
            }
            turns.add(new BuiltinFormat.Turn(m.role(), content.toString()));
        }
        return builtin.render(turns, request.addGenerationPrompt());
    }

    private String applyJinja(List<ChatMessage> messages, List<Object> tools, ChatRequest request) {
        List<Object> shaped = shape(messages);
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("messages", shaped);
        ctx.put("bos_token", tokens.bos());
        ctx.put("eos_token", tokens.eos());
        if (request.enableThinking() != null) {
            ctx.put("enable_thinking", request.enableThinking());
        }
        if (!tools.isEmpty()) {
            ctx.put("tools", tools);
        }
        ZonedDateTime now = ZonedDateTime.now(clock);
        ctx.put("datetime", Strftime.format("%b %d %Y", now));
        ctx.put("date_string", Strftime.format("%d %b %Y", now));
        for (Map.Entry<String, JsonNode> kw : request.templateKwargs().entrySet()) {
            if (!kw.getKey().equals("bos_token") && !kw.getKey().equals("eos_token")) {
                ctx.put(kw.getKey(), Json.fromJson(kw.getValue()));
            }
        }
        if (request.addGenerationPrompt()) {
            ctx.put("add_generation_prompt", true);
        }
        String out;
        try {
            out = template.render(ctx, () -> ZonedDateTime.now(clock), null);
        } catch (TemplateException e) {
            if (e.kind() == TemplateException.Kind.RAISED) {
                throw new ChatTemplateException(ChatTemplateException.Reason.REFUSED_BY_TEMPLATE, e.detail(), e);
            }
            throw new ChatTemplateException(ChatTemplateException.Reason.RENDER_FAILED,
                    "the chat template failed on this conversation: " + e.getMessage(), e);
        }
        if (tokens.addBos() && !tokens.bos().isEmpty() && out.startsWith(tokens.bos())) {
            out = out.substring(tokens.bos().length());
        }
        if (tokens.addEos() && !tokens.eos().isEmpty() && out.endsWith(tokens.eos())) {
            out = out.substring(0, out.length() - tokens.eos().length());
        }
        return out;
    }

    /** The messages as the template sees them, shaped by the template's capabilities like the peer does. */
    private List<Object> shape(List<ChatMessage> messages) {
        boolean onlyString = capabilities.stringContent() && !capabilities.typedContent();
        boolean onlyTyped = !capabilities.stringContent() && capabilities.typedContent();
        List<Object> out = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            Map<String, Object> jm = new LinkedHashMap<>();
            String role = m.role();
            if (role.equals("developer") && !source.contains("<|channel|>")) {
                role = "system";
            }
            jm.put("role", role);
            Object content;
            if (!m.content().isEmpty()) {
                content = m.content();
            } else if (!m.parts().isEmpty()) {
                if (onlyString) {
                    content = m.joinedContent();
                } else {
                    List<Object> parts = new ArrayList<>(m.parts().size());
                    for (ChatMessage.Part p : m.parts()) {
                        Map<String, Object> part = new LinkedHashMap<>();
                        part.put("type", p.type());
                        part.put("text", p.text());
                        parts.add(part);
                    }
                    content = parts;
                }
            } else {
                content = "";
            }
            if (onlyTyped && content instanceof String s) {
                Map<String, Object> part = new LinkedHashMap<>();
                part.put("type", "text");
                part.put("text", s);
                content = new ArrayList<>(List.of(part));
            }
            jm.put("content", content);
            if (!m.reasoningContent().isEmpty()) {
                jm.put("reasoning_content", m.reasoningContent());
            }
            if (!m.name().isEmpty()) {
                jm.put("name", m.name());
            }
            if (!m.toolCallId().isEmpty()) {
                jm.put("tool_call_id", m.toolCallId());
            }
            if (!m.toolCalls().isEmpty()) {
                List<Object> calls = new ArrayList<>(m.toolCalls().size());
                for (ChatMessage.ToolCall tc : m.toolCalls()) {
                    Map<String, Object> fn = new LinkedHashMap<>();
                    fn.put("name", tc.name());
                    fn.put("arguments", capabilities.objectArguments() ? ChatMessage.parseArguments(tc.arguments())
                            : tc.arguments());
                    Map<String, Object> call = new LinkedHashMap<>();
                    call.put("type", "function");
                    call.put("function", fn);
                    if (!tc.id().isEmpty()) {
                        call.put("id", tc.id());
                    }
                    calls.add(call);
                }
                jm.put("tool_calls", calls);
            }
            out.add(jm);
        }
        if (!capabilities.systemRole() && !out.isEmpty() && "system".equals(role(out.getFirst()))) {
            mergeSystemMessage(out);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object role(Object message) {
        return ((Map<String, Object>) message).get("role");
    }

    /** For templates that ignore system messages: the system text goes in front of the next message. */
    @SuppressWarnings("unchecked")
    private static void mergeSystemMessage(List<Object> messages) {
        Map<String, Object> first = (Map<String, Object>) messages.removeFirst();
        if (messages.isEmpty()) {
            LOG.debug("dropping a lone system message: the chat template does not read system messages");
            return;
        }
        Map<String, Object> second = (Map<String, Object>) messages.getFirst();
        if (!(first.get("content") instanceof String a) || !(second.get("content") instanceof String b)) {
            throw ChatMessage.invalid("cannot merge the system message into the next message: the template "
                    + "does not read system messages and the contents are not plain strings");
        }
        second.put("content", a + "\n" + b);
    }
}
