package io.llamabox.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.llamabox.chat.tools.ToolCallFormat;

/**
 * Turns a chat into the model's prompt text with its chat template. The server hands over validated
 * OpenAI messages (each with a {@code role} and a string {@code content}; other fields such as
 * {@code tool_calls}, {@code tool_call_id} and {@code name} pass through) and the request's
 * {@code tools} (an empty array when none). The text is tokenized with special tokens parsed, and the
 * tokenizer adds BOS where the model wants it, so a leading BOS text is dropped by the server. The
 * template also decides how the model writes tool calls ({@link #toolCallFormat()}).
 */
@FunctionalInterface
public interface PromptRenderer {
    /**
     * @throws IllegalArgumentException when the template refuses these messages (the client gets a 400)
     */
    String render(ArrayNode messages, ArrayNode tools, boolean addGenerationPrompt);

    /** How the model of this template writes tool calls; ChatML's (Hermes) unless the template says otherwise. */
    default ToolCallFormat toolCallFormat() {
        return ToolCallFormat.HERMES;
    }
}
