package io.llamabox.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The built-in formats that llama-box adds and the peer lacks ({@code falcon}, {@code llava},
 * {@code llava-mistral}); the others are compared with the peer in {@link ChatTemplatePeerTest}.
 */
class BuiltinTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String apply(String name, String messages, boolean generationPrompt) throws Exception {
        JsonNode m = JSON.readTree(messages);
        return ChatTemplate.builtin(name).apply(ChatRequest.of(m).withGenerationPrompt(generationPrompt));
    }

    private static final String CHAT = """
            [{"role": "system", "content": " Be brief. "}, {"role": "user", "content": " Hi "},
             {"role": "assistant", "content": "Hello!"}, {"role": "user", "content": "<image>\\nWhat is this?"}]""";

    @Test
    void falconPutsTheSystemTextBeforeTheFirstUserTurn() throws Exception {
        assertEquals("\nBe brief.\n\n\n\nUser: Hi\n\n\n\nAssistant: Hello!\n\n\n\nUser: <image>\nWhat is this?\n\n\n\nAssistant:",
                apply("falcon", CHAT, true));
        assertEquals("\nUser: Hi\n\n\n", apply("falcon", "[{\"role\": \"user\", \"content\": \"Hi\"}]", false));
    }

    @Test
    void llavaStartsWithItsPreambleAndIgnoresSystemMessages() throws Exception {
        assertEquals("A chat between a curious human and an artificial intelligence assistant. The assistant gives "
                        + "helpful, detailed, and polite answers to the human's questions.\n"
                        + "USER: Hi \nASSISTANT:Hello!</s>\nUSER:<image>\nWhat is this?\nASSISTANT:",
                apply("llava", CHAT, true));
    }

    @Test
    void llavaMistralMovesTheImageMarkerBeforeTheUserTurn() throws Exception {
        assertEquals("USER:\n Hi \nASSISTANT:\nHello!</s>\n<image>\nUSER:\nWhat is this?\nASSISTANT:\n",
                apply("llava-mistral", CHAT, true));
    }

    @Test
    void contentPartsAreJoinedWithNewlines() throws Exception {
        assertEquals("<|im_start|>user\na\nb<|im_end|>\n", apply("chatml", """
                [{"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}]""", false));
    }
}
