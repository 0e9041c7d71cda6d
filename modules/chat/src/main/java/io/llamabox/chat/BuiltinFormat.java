package io.llamabox.chat;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The named chat formats of {@code --chat-template NAME}: llama.cpp's built-in (non-Jinja) formats, plus
 * {@code falcon}, {@code llava} and {@code llava-mistral}, which llama-box adds. Each renders
 * (role, content) pairs the way {@code llama_chat_apply_template} does.
 */
enum BuiltinFormat {
    CHATGLM3("chatglm3"),
    CHATGLM4("chatglm4"),
    CHATML("chatml"),
    COMMAND_R("command-r"),
    DEEPSEEK("deepseek"),
    DEEPSEEK2("deepseek2"),
    DEEPSEEK3("deepseek3"),
    EXAONE3("exaone3"),
    FALCON("falcon"),
    FALCON3("falcon3"),
    GEMMA("gemma"),
    GIGACHAT("gigachat"),
    GRANITE("granite"),
    LLAMA2("llama2"),
    LLAMA2_SYS("llama2-sys"),
    LLAMA2_SYS_BOS("llama2-sys-bos"),
    LLAMA2_SYS_STRIP("llama2-sys-strip"),
    LLAMA3("llama3"),
    LLAVA("llava"),
    LLAVA_MISTRAL("llava-mistral"),
    MEGREZ("megrez"),
    MINICPM("minicpm"),
    MISTRAL_V1("mistral-v1"),
    MISTRAL_V3("mistral-v3"),
    MISTRAL_V3_TEKKEN("mistral-v3-tekken"),
    MISTRAL_V7("mistral-v7"),
    MONARCH("monarch"),
    OPENCHAT("openchat"),
    ORION("orion"),
    PHI3("phi3"),
    PHI4("phi4"),
    RWKV_WORLD("rwkv-world"),
    VICUNA("vicuna"),
    VICUNA_ORCA("vicuna-orca"),
    ZEPHYR("zephyr");

    /** A message as the built-in formats see it: a role and plain text. */
    record Turn(String role, String content) {
    }

    private final String templateName;

    BuiltinFormat(String templateName) {
        this.templateName = templateName;
    }

    String templateName() {
        return templateName;
    }

    static Optional<BuiltinFormat> byName(String name) {
        return Arrays.stream(values()).filter(f -> f.templateName.equals(name)).findFirst();
    }

    /** Python-like strip of ASCII whitespace, as llama.cpp's trim(). */
    private static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && Character.isWhitespace(s.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    String render(List<Turn> chat, boolean addAssistant) {
        StringBuilder ss = new StringBuilder();
        switch (this) {
            case CHATML -> {
                for (Turn t : chat) {
                    ss.append("<|im_start|>").append(t.role()).append('\n').append(t.content()).append("<|im_end|>\n");
                }
                if (addAssistant) {
                    ss.append("<|im_start|>assistant\n");
                }
            }
            case MISTRAL_V7 -> {
                for (Turn t : chat) {
                    switch (t.role()) {
                        case "system" -> ss.append("[SYSTEM_PROMPT] ").append(t.content()).append("[/SYSTEM_PROMPT]");
                        case "user" -> ss.append("[INST] ").append(t.content()).append("[/INST]");
                        default -> ss.append(' ').append(t.content()).append("</s>");
                    }
                }
            }
            case MISTRAL_V1, MISTRAL_V3, MISTRAL_V3_TEKKEN -> {
                String leading = this == MISTRAL_V1 ? " " : "";
                String trailing = this == MISTRAL_V3_TEKKEN ? "" : " ";
                boolean trimAssistant = this == MISTRAL_V3;
                boolean insideTurn = false;
                for (Turn t : chat) {
                    if (!insideTurn) {
                        ss.append(leading).append("[INST]").append(trailing);
                        insideTurn = true;
                    }
                    switch (t.role()) {
                        case "system" -> ss.append(t.content()).append("\n\n");
                        case "user" -> ss.append(t.content()).append(leading).append("[/INST]");
                        default -> {
                            ss.append(trailing).append(trimAssistant ? trim(t.content()) : t.content()).append("</s>");
                            insideTurn = false;
                        }
                    }
                }
            }
            case LLAMA2, LLAMA2_SYS, LLAMA2_SYS_BOS, LLAMA2_SYS_STRIP -> {
                boolean systemSupported = this != LLAMA2;
                boolean bosInsideHistory = this == LLAMA2_SYS_BOS;
                boolean strip = this == LLAMA2_SYS_STRIP;
                boolean insideTurn = true;
                ss.append("[INST] ");
                for (Turn t : chat) {
                    String content = strip ? trim(t.content()) : t.content();
                    if (!insideTurn) {
                        insideTurn = true;
                        ss.append(bosInsideHistory ? "<s>[INST] " : "[INST] ");
                    }
                    switch (t.role()) {
                        case "system" -> {
                            if (systemSupported) {
                                ss.append("<<SYS>>\n").append(content).append("\n<</SYS>>\n\n");
                            } else {
                                ss.append(content).append('\n');
                            }
                        }
                        case "user" -> ss.append(content).append(" [/INST]");
                        default -> {
                            ss.append(content).append("</s>");
                            insideTurn = false;
                        }
                    }
                }
            }
            case PHI3 -> {
                for (Turn t : chat) {
                    ss.append("<|").append(t.role()).append("|>\n").append(t.content()).append("<|end|>\n");
                }
                if (addAssistant) {
                    ss.append("<|assistant|>\n");
                }
            }
            case PHI4 -> {
                for (Turn t : chat) {
                    ss.append("<|im_start|>").append(t.role()).append("<|im_sep|>").append(t.content()).append("<|im_end|>");
                }
                if (addAssistant) {
                    ss.append("<|im_start|>assistant<|im_sep|>");
                }
            }
            case FALCON3 -> {
                for (Turn t : chat) {
                    ss.append("<|").append(t.role()).append("|>\n").append(t.content()).append('\n');
                }
                if (addAssistant) {
                    ss.append("<|assistant|>\n");
                }
            }
            case ZEPHYR -> {
                for (Turn t : chat) {
                    ss.append("<|").append(t.role()).append("|>\n").append(t.content()).append("<|endoftext|>\n");
                }
                if (addAssistant) {
                    ss.append("<|assistant|>\n");
                }
            }
            case MONARCH -> {
                for (int i = 0; i < chat.size(); i++) {
                    Turn t = chat.get(i);
                    ss.append(i == 0 ? "" : "<s>").append(t.role()).append('\n').append(t.content()).append("</s>\n");
                }
                if (addAssistant) {
                    ss.append("<s>assistant\n");
                }
            }
            case GEMMA -> {
                String systemPrompt = "";
                for (Turn t : chat) {
                    if (t.role().equals("system")) {
                        systemPrompt += trim(t.content());
                        continue;
                    }
                    String role = t.role().equals("assistant") ? "model" : t.role();
                    ss.append("<start_of_turn>").append(role).append('\n');
                    if (!systemPrompt.isEmpty() && !role.equals("model")) {
                        ss.append(systemPrompt).append("\n\n");
                        systemPrompt = "";
                    }
                    ss.append(trim(t.content())).append("<end_of_turn>\n");
                }
                if (addAssistant) {
                    ss.append("<start_of_turn>model\n");
                }
            }
            case ORION -> {
                String systemPrompt = "";
                for (Turn t : chat) {
                    switch (t.role()) {
                        case "system" -> systemPrompt += t.content();
                        case "user" -> {
                            ss.append("Human: ");
                            if (!systemPrompt.isEmpty()) {
                                ss.append(systemPrompt).append("\n\n");
                                systemPrompt = "";
                            }
                            ss.append(t.content()).append("\n\nAssistant: </s>");
                        }
                        default -> ss.append(t.content()).append("</s>");
                    }
                }
            }
            case OPENCHAT -> {
                for (Turn t : chat) {
                    if (t.role().equals("system")) {
                        ss.append(t.content()).append("<|end_of_turn|>");
                    } else {
                        String role = t.role().isEmpty() ? t.role()
                                : t.role().substring(0, 1).toUpperCase(Locale.ROOT) + t.role().substring(1);
                        ss.append("GPT4 Correct ").append(role).append(": ").append(t.content()).append("<|end_of_turn|>");
                    }
                }
                if (addAssistant) {
                    ss.append("GPT4 Correct Assistant:");
                }
            }
            case VICUNA, VICUNA_ORCA -> {
                for (Turn t : chat) {
                    switch (t.role()) {
                        case "system" -> {
                            if (this == VICUNA_ORCA) {
                                ss.append("SYSTEM: ").append(t.content()).append('\n');
                            } else {
                                ss.append(t.content()).append("\n\n");
                            }
                        }
                        case "user" -> ss.append("USER: ").append(t.content()).append('\n');
                        case "assistant" -> ss.append("ASSISTANT: ").append(t.content()).append("</s>\n");
                        default -> { }
                    }
                }
                if (addAssistant) {
                    ss.append("ASSISTANT:");
                }
            }
            case DEEPSEEK -> {
                for (Turn t : chat) {
                    switch (t.role()) {
                        case "system" -> ss.append(t.content());
                        case "user" -> ss.append("### Instruction:\n").append(t.content()).append('\n');
                        case "assistant" -> ss.append("### Response:\n").append(t.content()).append("\n<|EOT|>\n");
                        default -> { }
                    }
                }
                if (addAssistant) {
                    ss.append("### Response:\n");
                }
            }
            case COMMAND_R -> {
                for (Turn t : chat) {
                    switch (t.role()) {
                        case "system" -> ss.append("<|START_OF_TURN_TOKEN|><|SYSTEM_TOKEN|>").append(trim(t.content()))
                                .append("<|END_OF_TURN_TOKEN|>");
                        case "user" -> ss.append("<|START_OF_TURN_TOKEN|><|USER_TOKEN|>").append(trim(t.content()))
                                .append("<|END_OF_TURN_TOKEN|>");
                        case "assistant" -> ss.append("<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>").append(trim(t.content()))
                                .append("<|END_OF_TURN_TOKEN|>");
                        default -> { }
                    }
                }
                if (addAssistant) {
                    ss.append("<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>");
                }
            }
            case LLAMA3 -> {
                for (Turn t : chat) {
                    ss.append("<|start_header_id|>").append(t.role()).append("<|end_header_id|>\n\n")
                            .append(trim(t.content())).append("<|eot_id|>");
                }
                if (addAssistant) {
                    ss.append("<|start_header_id|>assistant<|end_header_id|>\n\n");
                }
            }
            case CHATGLM3 -> {
                ss.append("[gMASK]sop");
                for (Turn t : chat) {
                    ss.append("<|").append(t.role()).append("|>\n ").append(t.content());
                }
                if (addAssistant) {
                    ss.append("<|assistant|>");
                }
            }
            case CHATGLM4 -> {
                ss.append("[gMASK]<sop>");
                for (Turn t : chat) {
                    ss.append("<|").append(t.role()).append("|>\n").append(t.content());
                }
                if (addAssistant) {
                    ss.append("<|assistant|>\n");
                }
            }
            case MINICPM -> {
                for (Turn t : chat) {
                    if (t.role().equals("user")) {
                        ss.append("<用户>").append(trim(t.content())).append("<AI>");
                    } else {
                        ss.append(trim(t.content()));
                    }
                }
            }
            case DEEPSEEK2 -> {
                for (Turn t : chat) {
                    switch (t.role()) {
                        case "system" -> ss.append(t.content()).append("\n\n");
                        case "user" -> ss.append("User: ").append(t.content()).append("\n\n");
                        case "assistant" -> ss.append("Assistant: ").append(t.content()).append("<｜end▁of▁sentence｜>");
                        default -> { }
                    }
                }
                if (addAssistant) {
                    ss.append("Assistant:");
                }
            }
            case DEEPSEEK3 -> {
                for (Turn t : chat) {
                    switch (t.role()) {
                        case "system" -> ss.append(t.content()).append("\n\n");
                        case "user" -> ss.append("<｜User｜>").append(t.content());
                        case "assistant" -> ss.append("<｜Assistant｜>").append(t.content()).append("<｜end▁of▁sentence｜>");
                        default -> { }
                    }
                }
                if (addAssistant) {
                    ss.append("<｜Assistant｜>");
                }
            }
            case EXAONE3 -> {
                for (Turn t : chat) {
                    switch (t.role()) {
                        case "system" -> ss.append("[|system|]").append(trim(t.content())).append("[|endofturn|]\n");
                        case "user" -> ss.append("[|user|]").append(trim(t.content())).append('\n');
                        case "assistant" -> ss.append("[|assistant|]").append(trim(t.content())).append("[|endofturn|]\n");
                        default -> { }
                    }
                }
                if (addAssistant) {
                    ss.append("[|assistant|]");
                }
            }
            case RWKV_WORLD -> {
                for (int i = 0; i < chat.size(); i++) {
                    Turn t = chat.get(i);
                    switch (t.role()) {
                        case "system" -> ss.append("System: ").append(trim(t.content())).append("\n\n");
                        case "user" -> {
                            ss.append("User: ").append(trim(t.content())).append("\n\n");
                            if (i == chat.size() - 1) {
                                ss.append("Assistant:");
                            }
                        }
                        case "assistant" -> ss.append("Assistant: ").append(trim(t.content())).append("\n\n");
                        default -> { }
                    }
                }
            }
            case GRANITE -> {
                for (Turn t : chat) {
                    ss.append("<|start_of_role|>").append(t.role()).append("<|end_of_role|>");
                    if (t.role().equals("assistant_tool_call")) {
                        ss.append("<|tool_call|>");
                    }
                    ss.append(t.content()).append("<|end_of_text|>\n");
                }
                if (addAssistant) {
                    ss.append("<|start_of_role|>assistant<|end_of_role|>");
                }
            }
            case GIGACHAT -> {
                boolean hasSystem = !chat.isEmpty() && chat.getFirst().role().equals("system");
                if (hasSystem) {
                    ss.append("<s>").append(chat.getFirst().content()).append("<|message_sep|>");
                } else {
                    ss.append("<s>");
                }
                for (int i = hasSystem ? 1 : 0; i < chat.size(); i++) {
                    Turn t = chat.get(i);
                    if (t.role().equals("user")) {
                        ss.append("user<|role_sep|>").append(t.content()).append("<|message_sep|>")
                                .append("available functions<|role_sep|>[]<|message_sep|>");
                    } else if (t.role().equals("assistant")) {
                        ss.append("assistant<|role_sep|>").append(t.content()).append("<|message_sep|>");
                    }
                }
                if (addAssistant) {
                    ss.append("assistant<|role_sep|>");
                }
            }
            case MEGREZ -> {
                for (Turn t : chat) {
                    ss.append("<|role_start|>").append(t.role()).append("<|role_end|>").append(t.content())
                            .append("<|turn_end|>");
                }
                if (addAssistant) {
                    ss.append("<|role_start|>assistant<|role_end|>");
                }
            }
            case FALCON -> {
                // Falcon (llama-box): system text before the next user turn, trimmed turns, blank-line separated
                String systemPrompt = "";
                for (Turn t : chat) {
                    switch (t.role()) {
                        case "system" -> systemPrompt = trim(t.content());
                        case "user" -> {
                            if (!systemPrompt.isEmpty()) {
                                ss.append('\n').append(systemPrompt).append("\n\n\n");
                                systemPrompt = "";
                            }
                            ss.append("\nUser: ").append(trim(t.content())).append("\n\n\n");
                        }
                        case "assistant" -> ss.append("\nAssistant: ").append(trim(t.content())).append("\n\n\n");
                        default -> { }
                    }
                }
                if (addAssistant) {
                    ss.append("\nAssistant:");
                }
            }
            case LLAVA, LLAVA_MISTRAL -> {
                // LLaVA 1.5 (llama-box); the Mistral variant has no preamble and puts "<image>\n" first
                boolean mistral = this == LLAVA_MISTRAL;
                if (!mistral) {
                    ss.append("A chat between a curious human and an artificial intelligence assistant. The "
                            + "assistant gives helpful, detailed, and polite answers to the human's questions.\n");
                }
                for (Turn t : chat) {
                    if (t.role().equals("user")) {
                        if (!mistral) {
                            ss.append("USER:").append(t.content()).append('\n');
                        } else {
                            String content = t.content();
                            int sign = content.indexOf("<image>\n");
                            if (sign >= 0) {
                                content = content.substring(0, sign) + content.substring(sign + "<image>\n".length());
                                ss.append("<image>\n");
                            }
                            ss.append("USER:\n").append(content).append('\n');
                        }
                    } else if (t.role().equals("assistant")) {
                        ss.append(mistral ? "ASSISTANT:\n" : "ASSISTANT:").append(t.content()).append("</s>\n");
                    }
                }
                if (addAssistant) {
                    ss.append(mistral ? "ASSISTANT:\n" : "ASSISTANT:");
                }
            }
        }
        return ss.toString();
    }
}
