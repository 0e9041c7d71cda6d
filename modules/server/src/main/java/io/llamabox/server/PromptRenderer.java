package io.llamabox.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    /**
     * As {@link #render(ArrayNode, ArrayNode, boolean)}, with the request's {@code chat_template_kwargs}: extra
     * template variables by name (empty when the request has none). A renderer whose templates take no
     * variables renders as without them.
     *
     * @throws IllegalArgumentException when the template refuses these messages (the client gets a 400)
     */
    default String render(ArrayNode messages, ArrayNode tools, boolean addGenerationPrompt, ObjectNode templateKwargs) {
        return render(messages, tools, addGenerationPrompt);
    }

    /** How the model of this template writes tool calls; ChatML's (Hermes) unless the template says otherwise. */
    default ToolCallFormat toolCallFormat() {
        return ToolCallFormat.HERMES;
    }
}
