package io.llamabox.chat.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.llamabox.chat.schema.GbnfBuilder;
import io.llamabox.chat.schema.JsonSchemaGrammar;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The tool-call formats of the model families LLaMA Box supports, recognized from the chat template; each
 * reads calls out of output ({@link #parser}) and writes grammars that force well-formed calls
 * ({@link #grammar}).
 */
public enum ToolCallFormat {
    /** Qwen2/2.5, Qwen3, Hermes and ChatML models: {@code <tool_call>{...}</tool_call>}. */
    HERMES("hermes", new HermesSyntax()),
    /** LLaMA 3.x: a {@code {"name", "parameters"}} object, or {@code <|python_tag|>}. */
    LLAMA3("llama3", new Llama3Syntax()),
    /** Mistral: {@code [TOOL_CALLS][{...}]}. */
    MISTRAL("mistral", new MistralSyntax()),
    /** Granite 3.x: {@code <|tool_call|>[{...}]}. */
    GRANITE("granite", new GraniteSyntax()),
    /** ChatGLM4: the function name on a line, then the arguments. */
    GLM4("glm4", new Glm4Syntax());

    private final String label;
    private final CallSyntax syntax;

    ToolCallFormat(String label, CallSyntax syntax) {
        this.label = label;
        this.syntax = syntax;
    }

    /** The format's short name ({@code hermes}, {@code llama3}, ...). */
    public String label() {
        return label;
    }

    /**
     * The format a Jinja chat template implies, by the markers it writes; ChatML and unknown templates
     * get {@link #HERMES}.
     */
    public static ToolCallFormat forTemplate(String source) {
        if (source.contains("[TOOL_CALLS]")) {
            return MISTRAL;
        }
        if (source.contains("<|tool_call|>")) {
            return GRANITE;
        }
        if (source.contains("<tool_call>")) {
            return HERMES;
        }
        if (source.contains("<|python_tag|>") || source.contains("<|start_header_id|>")) {
            return LLAMA3;
        }
        if (source.contains("[gMASK]") || source.contains("<|observation|>")) {
            return GLM4;
        }
        if (source.contains("[INST]") && !source.contains("<<SYS>>")) {
            return MISTRAL;
        }
        return HERMES;
    }

    /** The format of a built-in template name ({@code --chat-template NAME}). */
    public static ToolCallFormat forBuiltinTemplate(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("llama3")) {
            return LLAMA3;
        }
        if (n.startsWith("mistral")) {
            return MISTRAL;
        }
        if (n.startsWith("granite")) {
            return GRANITE;
        }
        if (n.contains("glm4")) {
            return GLM4;
        }
        return HERMES;
    }

    /** Whether one message can carry several calls in this format. */
    public boolean supportsParallelCalls() {
        return syntax.parallel();
    }

    /** A fresh parser for one output. */
    public ToolCallParser parser(List<ToolDefinition> tools) {
        return new ToolCallParser(syntax, tools);
    }

    /**
     * The grammar for an answer with tools, if one is needed:
     * <ul>
     * <li>{@code required} or a named function: the answer is the call(s), from its first character;</li>
     * <li>{@code auto} with a {@code contentSchema}: either a JSON value valid for it or the call(s);</li>
     * <li>{@code auto} without: a lazy grammar that makes a call well-formed once its opening appears;</li>
     * <li>{@code none}: none (the caller constrains content on its own).</li>
     * </ul>
     *
     * @param parallel      whether several calls may be made (when the format allows)
     * @param contentSchema a JSON schema the text answer must follow, or null
     * @throws io.llamabox.chat.schema.SchemaException when a schema cannot become a grammar
     * @throws IllegalArgumentException                when a named function is not among the tools
     */
    public Optional<ToolGrammar> grammar(List<ToolDefinition> tools, ToolChoice choice, boolean parallel,
                                         JsonNode contentSchema) {
        if (choice instanceof ToolChoice.None || tools.isEmpty()) {
            return Optional.empty();
        }
        List<ToolDefinition> allowed = tools;
        if (choice instanceof ToolChoice.Function(String name)) {
            allowed = tools.stream().filter(t -> t.name().equals(name)).toList();
            if (allowed.isEmpty()) {
                throw new IllegalArgumentException("\"tool_choice\" names the function \"" + name
                        + "\", which is not among the tools");
            }
        }
        ToolSet set = new ToolSet(allowed);
        boolean several = parallel && syntax.parallel() && !(choice instanceof ToolChoice.Function);
        GbnfBuilder g = new GbnfBuilder();
        if (choice instanceof ToolChoice.Auto) {
            if (contentSchema != null) {
                String content = JsonSchemaGrammar.addRules(g, contentSchema, "content");
                g.root(content + " | " + group(syntax.calls(g, set, several)));
                return Optional.of(new ToolGrammar(g.build(), false, List.of()));
            }
            List<String> triggers = syntax.triggers(set);
            g.root(syntax.lazyCalls(g, set, several));
            return Optional.of(new ToolGrammar(g.build(), true, triggers));
        }
        g.root(syntax.calls(g, set, several));
        return Optional.of(new ToolGrammar(g.build(), false, List.of()));
    }

    private static String group(String expr) {
        return "(" + expr + ")";
    }
}
