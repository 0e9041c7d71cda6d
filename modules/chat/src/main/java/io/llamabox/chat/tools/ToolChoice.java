package io.llamabox.chat.tools;

import com.fasterxml.jackson.databind.JsonNode;

/** OpenAI's {@code tool_choice}: whether the model may, must, or must not call a function, or which one. */
public sealed interface ToolChoice {
    /** The model decides ({@code "auto"}, the default when tools are given). */
    record Auto() implements ToolChoice {
    }

    /** No calls; the tools are still shown to the model ({@code "none"}). */
    record None() implements ToolChoice {
    }

    /** At least one call ({@code "required"}). */
    record Required() implements ToolChoice {
    }

    /** A call of this function ({@code {"type": "function", "function": {"name": ...}}}). */
    record Function(String name) implements ToolChoice {
    }

    /**
     * Reads {@code tool_choice}; null means {@link Auto}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static ToolChoice parse(JsonNode v) {
        if (v == null || v.isNull()) {
            return new Auto();
        }
        if (v.isTextual()) {
            return switch (v.textValue()) {
                case "auto" -> new Auto();
                case "none" -> new None();
                case "required" -> new Required();
                default -> throw new IllegalArgumentException("\"tool_choice\" must be \"auto\", \"none\", \"required\""
                        + " or {\"type\": \"function\", \"function\": {\"name\": ...}}, got \"" + v.textValue() + "\"");
            };
        }
        if (v.isObject()) {
            JsonNode type = v.get("type");
            if (type != null && !type.isNull() && !"function".equals(type.asText())) {
                throw new IllegalArgumentException("\"tool_choice.type\" must be \"function\"");
            }
            JsonNode name = v.path("function").get("name");
            if (name == null || !name.isTextual()) {
                throw new IllegalArgumentException("\"tool_choice.function.name\" is required");
            }
            return new Function(name.textValue());
        }
        throw new IllegalArgumentException("\"tool_choice\" must be a string or an object");
    }
}
