package io.llamabox.server.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.JsonFields;
import java.util.Optional;
import java.util.Set;

/**
 * The chat-specific part of a {@code /v1/chat/completions} request: the messages (validated, with
 * content-part arrays joined into text), the tools, and how log probabilities are asked for.
 */
public record ChatRequest(ArrayNode messages, ArrayNode tools, boolean addGenerationPrompt, boolean logprobs,
                          int topLogprobs) {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

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
        for (int i = 0; i < tools.size(); i++) {
            if (!tools.get(i).isObject()) {
                throw ApiException.invalid("\"tools[" + i + "]\" must be an object");
            }
        }
        responseFormat(f);
        boolean logprobs = f.bool("logprobs", false);
        int top = f.integer("top_logprobs", 0);
        if (top < 0 || top > maxProbabilities) {
            throw ApiException.invalid("\"top_logprobs\" must be in [0, " + maxProbabilities + "], got " + top);
        }
        if (top > 0 && !logprobs) {
            throw ApiException.invalid("\"top_logprobs\" needs \"logprobs\": true");
        }
        return new ChatRequest(messages, tools, f.bool("add_generation_prompt", true), logprobs, top);
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

    /** Plain text is what this server produces; structured output needs a grammar it cannot build yet. */
    private static void responseFormat(JsonFields f) {
        Optional<JsonFields> format = f.object("response_format");
        if (format.isPresent()) {
            String type = format.get().string("type").orElseThrow(
                    () -> ApiException.invalid("\"response_format.type\" is required"));
            if (!type.equals("text")) {
                throw ApiException.invalid("\"response_format\" of type \"" + type + "\" is not supported by this"
                        + " server; use \"text\", or constrain the output with \"grammar\"");
            }
        }
        if (f.has("json_schema")) {
            throw ApiException.invalid("\"json_schema\" is not supported by this server; constrain the output with"
                    + " \"grammar\"");
        }
    }
}
