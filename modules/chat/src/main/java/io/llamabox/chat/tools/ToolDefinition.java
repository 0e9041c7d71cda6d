package io.llamabox.chat.tools;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A function the model may call, from an OpenAI {@code tools} entry
 * ({@code {"type": "function", "function": {"name", "description", "parameters"}}}).
 *
 * @param name        the function's name: letters, digits, {@code _} and {@code -}, at most 64
 * @param description what it does, or empty
 * @param parameters  the JSON schema of its arguments, or null for a function without parameters
 */
public record ToolDefinition(String name, String description, JsonNode parameters) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    public ToolDefinition {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a function name must be 1 to 64 letters, digits, '_' or '-', got "
                    + (name == null ? "none" : "\"" + name + "\""));
        }
        description = description == null ? "" : description;
    }

    /**
     * The functions of an OpenAI {@code tools} array (null or empty: none).
     *
     * @throws IllegalArgumentException naming the entry and what is wrong with it
     */
    public static List<ToolDefinition> parseAll(JsonNode tools) {
        List<ToolDefinition> out = new ArrayList<>();
        if (tools == null || tools.isNull()) {
            return out;
        }
        if (!tools.isArray()) {
            throw new IllegalArgumentException("\"tools\" must be an array");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            String at = "tools[" + i + "]";
            JsonNode t = tools.get(i);
            if (!t.isObject()) {
                throw new IllegalArgumentException("\"" + at + "\" must be an object");
            }
            JsonNode type = t.get("type");
            if (type != null && !type.isNull() && !"function".equals(type.asText())) {
                throw new IllegalArgumentException("\"" + at + ".type\": only \"function\" tools are supported, got "
                        + type);
            }
            JsonNode fn = t.get("function");
            if (fn == null || !fn.isObject()) {
                throw new IllegalArgumentException("\"" + at + ".function\" must be an object");
            }
            JsonNode name = fn.get("name");
            if (name == null || !name.isTextual()) {
                throw new IllegalArgumentException("\"" + at + ".function.name\" is required and must be a string");
            }
            if (!NAME.matcher(name.textValue()).matches()) {
                throw new IllegalArgumentException("\"" + at + ".function.name\" must be 1 to 64 letters, digits, '_'"
                        + " or '-', got \"" + name.textValue() + "\"");
            }
            if (!names.add(name.textValue())) {
                throw new IllegalArgumentException("\"" + at + ".function.name\": \"" + name.textValue()
                        + "\" is defined twice");
            }
            JsonNode description = fn.get("description");
            if (description != null && !description.isNull() && !description.isTextual()) {
                throw new IllegalArgumentException("\"" + at + ".function.description\" must be a string");
            }
            JsonNode parameters = fn.get("parameters");
            if (parameters != null && parameters.isNull()) {
                parameters = null;
            }
            if (parameters != null && !parameters.isObject()) {
                throw new IllegalArgumentException("\"" + at + ".function.parameters\" must be a JSON schema object");
            }
            out.add(new ToolDefinition(name.textValue(), description == null ? "" : description.asText(), parameters));
        }
        return out;
    }
}
