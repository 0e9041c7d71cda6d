package io.llamabox.server.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llamabox.chat.tools.ToolChoice;
import io.llamabox.chat.tools.ToolDefinition;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.JsonFields;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The chat-specific part of a {@code /v1/chat/completions} request: the messages (validated, with
 * content-part arrays joined into text), the tools (as given, for the template, and as validated
 * definitions), {@code tool_choice} and {@code parallel_tool_calls}, the JSON schema of
 * {@code response_format} (null for plain text), how log probabilities are asked for, and the template
 * variables of {@code chat_template_kwargs} (an empty object when none).
 */
public record ChatRequest(ArrayNode messages, ArrayNode tools, List<ToolDefinition> toolDefinitions,
                          ToolChoice toolChoice, boolean parallelToolCalls, JsonNode responseSchema,
                          boolean addGenerationPrompt, boolean logprobs, int topLogprobs, ObjectNode templateKwargs) {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
    /** What {@code response_format: {"type": "json_object"}} asks for. */
    private static final JsonNode ANY_OBJECT = JsonNodeFactory.instance.objectNode().put("type", "object");

    public ChatRequest {
        toolDefinitions = List.copyOf(toolDefinitions);
    }

    /** Whether tool calls are read from the answer: tools are given and {@code tool_choice} is not none. */
    public boolean readsToolCalls() {
        return !toolDefinitions.isEmpty() && !(toolChoice instanceof ToolChoice.None);
    }

    /** The alternatives per token to ask the engine for; at least one so the chosen token's logprob comes back. */
    public int nProbs() {
        return logprobs ? Math.max(topLogprobs, 1) : 0;
    }

    public static ChatRequest parse(JsonFields f, int maxProbabilities) {
        ArrayNode raw = f.array("messages").orElseThrow(() -> ApiException.invalid("\"messages\" is required"));
        if (raw.isEmpty()) {
            throw ApiException.invalid("\"messages\" must not be empty");
        }
        ArrayNode messages = JsonNodeFactory.instance.arrayNode(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            messages.add(message(raw.get(i), "messages[" + i + "]"));
        }
        ArrayNode tools = f.array("tools").orElseGet(JsonNodeFactory.instance::arrayNode);
        List<ToolDefinition> definitions;
        ToolChoice choice;
        try {
            definitions = ToolDefinition.parseAll(tools);
            choice = ToolChoice.parse(f.get("tool_choice"));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
        if (definitions.isEmpty() && (choice instanceof ToolChoice.Required || choice instanceof ToolChoice.Function)) {
            throw ApiException.invalid("\"tool_choice\" asks for a function call but \"tools\" is empty");
        }
        if (choice instanceof ToolChoice.Function(String name)
                && definitions.stream().noneMatch(t -> t.name().equals(name))) {
            throw ApiException.invalid("\"tool_choice\" names the function \"" + name + "\", which is not among the"
                    + " tools");
        }
        boolean parallel = f.bool("parallel_tool_calls", true);
        JsonNode schema = responseFormat(f);
        boolean logprobs = f.bool("logprobs", false);
        int top = f.integer("top_logprobs", 0);
        if (top < 0 || top > maxProbabilities) {
            throw ApiException.invalid("\"top_logprobs\" must be in [0, " + maxProbabilities + "], got " + top);
        }
        if (top > 0 && !logprobs) {
            throw ApiException.invalid("\"top_logprobs\" needs \"logprobs\": true");
        }
        return new ChatRequest(messages, tools, definitions, choice, parallel, schema,
                f.bool("add_generation_prompt", true), logprobs, top,
                f.object("chat_template_kwargs").map(JsonFields::node).orElseGet(JsonNodeFactory.instance::objectNode));
    }

    private static ObjectNode message(JsonNode node, String where) {
        if (!(node instanceof ObjectNode in)) {
            throw ApiException.invalid("\"" + where + "\" must be an object");
        }
        JsonNode role = in.get("role");
        if (role == null || role.isNull()) {
            throw ApiException.invalid("\"" + where + ".role\" is required");
        }
        if (!role.isTextual()) {
            throw ApiException.invalid("\"" + where + ".role\" must be a string");
        }
        if (!ROLES.contains(role.textValue())) {
            throw ApiException.invalid("\"" + where + ".role\": unsupported role \"" + role.textValue()
                    + "\" (expected system, developer, user, assistant or tool)");
        }
        ObjectNode out = in.deepCopy();
        out.put("content", content(in.get("content"), role.textValue(), where + ".content"));
        return out;
    }

    private static String content(JsonNode content, String role, String where) {
        if (content == null || content.isNull()) {
            if (role.equals("assistant")) {
                return "";
            }
            throw ApiException.invalid("\"" + where + "\" is required");
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (!content.isArray()) {
            throw ApiException.invalid("\"" + where + "\" must be a string or an array of content parts");
        }
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String at = where + "[" + j + "]";
            JsonNode type = part.isObject() ? part.get("type") : null;
            if (type == null || !type.isTextual()) {
                throw ApiException.invalid("\"" + at + "\" must be an object with a string \"type\"");
            }
            if (!type.textValue().equals("text")) {
                throw ApiException.invalid("\"" + at + "\": content parts of type \"" + type.textValue()
                        + "\" are not supported by this server; only \"text\" parts are");
            }
            JsonNode t = part.get("text");
            if (t == null || !t.isTextual()) {
                throw ApiException.invalid("\"" + at + ".text\" must be a string");
            }
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(t.textValue());
        }
        return text.toString();
    }

    /**
     * The JSON schema of {@code response_format}: none for {@code text}, any object for {@code json_object}
     * (or its {@code schema}, as llama.cpp also reads it), {@code json_schema.schema} for {@code json_schema}.
     */
    private static JsonNode responseFormat(JsonFields f) {
        Optional<JsonFields> format = f.object("response_format");
        if (format.isEmpty()) {
            return null;
        }
        JsonFields rf = format.get();
        String type = rf.string("type").orElseThrow(() -> ApiException.invalid("\"response_format.type\" is required"));
        return switch (type) {
            case "text" -> null;
            case "json_object" -> rf.has("schema") ? schemaObject(rf.get("schema"), "response_format.schema")
                    : ANY_OBJECT;
            case "json_schema" -> {
                JsonFields js = rf.object("json_schema").orElseThrow(
                        () -> ApiException.invalid("\"response_format.json_schema\" is required for type json_schema"));
                js.string("name");
                JsonNode schema = js.get("schema");
                if (schema == null) {
                    throw ApiException.invalid("\"response_format.json_schema.schema\" is required");
                }
                yield schemaObject(schema, "response_format.json_schema.schema");
            }
            default -> throw ApiException.invalid("\"response_format.type\" must be \"text\", \"json_object\" or"
                    + " \"json_schema\", got \"" + type + "\"");
        };
    }

    private static JsonNode schemaObject(JsonNode schema, String where) {
        if (!schema.isObject() && !schema.isBoolean()) {
            throw ApiException.invalid("\"" + where + "\" must be a JSON schema object");
        }
        return schema;
    }
}
