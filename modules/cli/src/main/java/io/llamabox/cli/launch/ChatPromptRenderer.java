package io.llamabox.cli.launch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llamabox.chat.ChatRequest;
import io.llamabox.chat.ChatTemplate;
import io.llamabox.chat.ChatTemplateException;
import io.llamabox.chat.tools.ToolCallFormat;
import io.llamabox.server.PromptRenderer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders chats with the model's (or the command line's) chat template for the HTTP layer, with the
 * template variables of {@code --chat-template-kwargs} under those of a request's {@code chat_template_kwargs}.
 */
final class ChatPromptRenderer implements PromptRenderer {
    private final ChatTemplate template;
    private final ToolCallFormat toolCallFormat;
    private final Map<String, JsonNode> defaultKwargs;

    ChatPromptRenderer(ChatTemplate template) {
        this(template, Map.of());
    }

    /** {@code defaultKwargs}: each variable's name with its value as JSON text, as the command line gives them. */
    ChatPromptRenderer(ChatTemplate template, Map<String, String> defaultKwargs) {
        this.template = template;
        this.toolCallFormat = template.source().map(ToolCallFormat::forTemplate)
                .orElseGet(() -> ToolCallFormat.forBuiltinTemplate(template.builtinName().orElse("chatml")));
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> parsed = new LinkedHashMap<>();
        defaultKwargs.forEach((name, text) -> {
            try {
                parsed.put(name, json.readTree(text));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("--chat-template-kwargs: " + name + " is not JSON", e);
            }
        });
        this.defaultKwargs = Map.copyOf(parsed);
    }

    @Override
    public ToolCallFormat toolCallFormat() {
        return toolCallFormat;
    }

    @Override
    public String render(ArrayNode messages, ArrayNode tools, boolean addGenerationPrompt) {
        return render(messages, tools, addGenerationPrompt, JsonNodeFactory.instance.objectNode());
    }

    @Override
    public String render(ArrayNode messages, ArrayNode tools, boolean addGenerationPrompt, ObjectNode templateKwargs) {
        try {
            ChatRequest request = ChatRequest.of(messages).withGenerationPrompt(addGenerationPrompt);
            if (tools != null && !tools.isEmpty()) {
                request = request.withTools(tools);
            }
            Map<String, JsonNode> kwargs = new LinkedHashMap<>(defaultKwargs);
            templateKwargs.properties().forEach(e -> kwargs.put(e.getKey(), e.getValue()));
            if (!kwargs.isEmpty()) {
                request = request.withTemplateKwargs(kwargs);
            }
            return template.apply(request);
        } catch (ChatTemplateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
