package io.llamabox.cli.launch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.llamabox.chat.ChatRequest;
import io.llamabox.chat.ChatTemplate;
import io.llamabox.chat.ChatTemplateException;
import io.llamabox.chat.tools.ToolCallFormat;
import io.llamabox.server.PromptRenderer;

/** Renders chats with the model's (or the command line's) chat template for the HTTP layer. */
final class ChatPromptRenderer implements PromptRenderer {
    private final ChatTemplate template;
    private final ToolCallFormat toolCallFormat;

    ChatPromptRenderer(ChatTemplate template) {
        this.template = template;
        this.toolCallFormat = template.source().map(ToolCallFormat::forTemplate)
                .orElseGet(() -> ToolCallFormat.forBuiltinTemplate(template.builtinName().orElse("chatml")));
    }

    @Override
    public ToolCallFormat toolCallFormat() {
        return toolCallFormat;
    }

    @Override
    public String render(ArrayNode messages, ArrayNode tools, boolean addGenerationPrompt) {
        try {
            ChatRequest request = ChatRequest.of(messages).withGenerationPrompt(addGenerationPrompt);
            if (tools != null && !tools.isEmpty()) {
                request = request.withTools(tools);
            }
            return template.apply(request);
        } catch (ChatTemplateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
