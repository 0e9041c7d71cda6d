package io.llamabox.chat.tools;

import java.util.Objects;

/**
 * A function call found in model output.
 *
 * @param name      the function's name
 * @param arguments the arguments, a JSON object as compact text (OpenAI's {@code function.arguments})
 */
public record ToolCall(String name, String arguments) {
    public ToolCall {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
    }
}
