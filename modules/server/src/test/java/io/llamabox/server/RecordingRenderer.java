package io.llamabox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.llamabox.chat.tools.ToolCallFormat;

/** A ChatML-like template that writes the BOS text itself (as many real ones do) and keeps what it saw. */
final class RecordingRenderer implements PromptRenderer {
    volatile ArrayNode lastMessages;
    volatile ArrayNode lastTools;
    volatile boolean lastAddGenerationPrompt;
    /** The logging MDC's request id on the thread that rendered. */
    volatile String lastMdcRequestId;
    /** The tool-call format the template stands for. */
    volatile ToolCallFormat format = ToolCallFormat.HERMES;

    @Override
    public ToolCallFormat toolCallFormat() {
        return format;
    }

    @Override
    public String render(ArrayNode messages, ArrayNode tools, boolean addGenerationPrompt) {
        lastMessages = messages;
        lastTools = tools;
        lastAddGenerationPrompt = addGenerationPrompt;
        lastMdcRequestId = org.slf4j.MDC.get("request_id");
        StringBuilder sb = new StringBuilder("<s>");
        for (JsonNode m : messages) {
            if (m.get("content").textValue().equals("please refuse")) {
                throw new IllegalArgumentException("Conversation roles must alternate");
            }
            sb.append('<').append(m.get("role").textValue()).append('>').append(m.get("content").textValue())
                    .append('\n');
        }
        if (addGenerationPrompt) {
            sb.append("<assistant>");
        }
        return sb.toString();
    }
}
