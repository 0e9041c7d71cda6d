package io.llamabox.server.generate;

import io.llamabox.chat.schema.JsonSchemaGrammar;
import io.llamabox.chat.schema.SchemaException;
import io.llamabox.chat.tools.ToolCallFormat;
import io.llamabox.chat.tools.ToolCallParser;
import io.llamabox.chat.tools.ToolChoice;
import io.llamabox.chat.tools.ToolDefinition;
import io.llamabox.chat.tools.ToolGrammar;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.JsonFields;
import io.llamabox.spi.Sampling;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a chat answer is shaped: the grammar its sampling gets ({@code tool_choice}, {@code response_format},
 * the request's or the server's own grammar), and whether tool calls are read out of it.
 *
 * <ul>
 * <li>{@code tool_choice} {@code required} or a named function: a grammar that writes the call(s) in the
 * model's format, from the answer's first character ({@code callsOnly}: the answer has no text, so whatever
 * the parser leaves, like the start of a call cut by the token limit, is not content);</li>
 * <li>{@code auto} (the default with tools): with {@code response_format}, the answer is a JSON value of the
 * schema or call(s); otherwise a lazy grammar keeps calls well-formed once their opening appears (not when
 * the request or the server has a grammar of its own);</li>
 * <li>no tools, or {@code none}: {@code response_format}'s schema, else the request's or server's grammar.</li>
 * </ul>
 */
public record ChatStructure(ToolCallFormat format, List<ToolDefinition> tools, boolean readsToolCalls,
                            boolean callsOnly, Sampling sampling) {
    private static final Logger LOG = LoggerFactory.getLogger(ChatStructure.class);

    public ChatStructure {
        tools = List.copyOf(tools);
    }

    /**
     * @param sampling the request's sampling as parsed, its grammar the request's or the server's default
     * @throws ApiException (400) for combinations that contradict each other and schemas that cannot
     *                      become grammars
     */
    public static ChatStructure of(ChatRequest chat, JsonFields f, ToolCallFormat format, Sampling sampling) {
        boolean ownGrammar = SamplingParser.requestsGrammar(f);
        boolean forced = chat.toolChoice() instanceof ToolChoice.Required
                || chat.toolChoice() instanceof ToolChoice.Function;
        if (ownGrammar && chat.responseSchema() != null) {
            throw ApiException.invalid("\"response_format\" cannot be combined with \"grammar\" or \"json_schema\";"
                    + " give one");
        }
        if (ownGrammar && forced) {
            throw ApiException.invalid("\"tool_choice\" " + describe(chat.toolChoice()) + " cannot be combined with"
                    + " \"grammar\" or \"json_schema\": the call is written by a grammar of its own");
        }
        Sampling s = sampling;
        boolean callsOnly = false;
        if (chat.responseSchema() != null) {
            String gbnf = SamplingParser.schemaGrammar(chat.responseSchema(), "response_format");
            s = SamplingParser.withGrammar(s, gbnf, false, List.of());
        }
        if (chat.readsToolCalls()) {
            boolean serverGrammar = sampling.grammar() != null && !sampling.grammar().isBlank();
            if (forced || !ownGrammar && !serverGrammar || chat.responseSchema() != null) {
                Optional<ToolGrammar> tg = toolGrammar(chat, format, forced);
                if (tg.isPresent()) {
                    s = SamplingParser.withGrammar(s, tg.get().gbnf(), tg.get().lazy(), tg.get().triggerPatterns());
                    callsOnly = forced && !tg.get().lazy();
                }
            }
        }
        return new ChatStructure(format, chat.toolDefinitions(), chat.readsToolCalls(), callsOnly, s);
    }

    private static Optional<ToolGrammar> toolGrammar(ChatRequest chat, ToolCallFormat format, boolean forced) {
        try {
            return format.grammar(chat.toolDefinitions(), chat.toolChoice(), chat.parallelToolCalls(),
                    chat.responseSchema());
        } catch (SchemaException e) {
            String which = failingTool(chat.toolDefinitions());
            if (!forced && chat.responseSchema() == null) {
                // auto without a content schema needs no grammar: answer unconstrained rather than refuse
                LOG.debug("no grammar for tool calls: {} {}", which, e.getMessage());
                return Optional.empty();
            }
            throw ApiException.invalid(which + " cannot constrain the output: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
    }

    /** Which tool's parameters fail to become a grammar, for the error message. */
    private static String failingTool(List<ToolDefinition> tools) {
        for (int i = 0; i < tools.size(); i++) {
            ToolDefinition t = tools.get(i);
            if (t.parameters() != null) {
                try {
                    JsonSchemaGrammar.gbnf(t.parameters());
                } catch (SchemaException e) {
                    return "\"tools[" + i + "].function.parameters\" (function " + t.name() + ")";
                }
            }
        }
        return "\"tools\"";
    }

    private static String describe(ToolChoice c) {
        return c instanceof ToolChoice.Function(String name) ? "naming function " + name : "\"required\"";
    }

    /** A parser for one choice's output, when tool calls are read. */
    public ToolCallParser parser() {
        return format.parser(tools);
    }
}
