package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llamabox.testkit.peer.PeerServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A conversation with tools, an assistant's tool calls and the tools' results goes through our whole chat
 * route (validation, the template, tokenization) into exactly the prompt the peer renders for it with
 * {@code POST /apply-template}, for the template of each supported family; where the peer's template
 * refuses it, ours does too.
 */
class ToolPromptsMatchPeerTest {
    private static final String MESSAGES = """
            [{"role": "system", "content": "You are a helpful assistant."},
             {"role": "user", "content": "What's the weather in Paris, and set an alarm at 7?"},
             {"role": "assistant", "content": null, "tool_calls": [
               {"id": "call_1", "type": "function", "function": {"name": "get_weather",
                "arguments": "{\\"location\\": \\"Paris\\", \\"unit\\": \\"celsius\\"}"}}]},
             {"role": "tool", "tool_call_id": "call_1", "content": "{\\"temperature\\": 21}"},
             {"role": "assistant", "content": "It is 21 °C in Paris."},
             {"role": "user", "content": "Thanks! Now the alarm."}]""";

    @Test
    void toolConversationsBecomeThePeersPrompt() throws Exception {
        List<String> compared = new java.util.ArrayList<>();
        List<String> refused = new java.util.ArrayList<>();
        for (String template : List.of("qwen2.5-0.5b", "llama3.1-8b", "granite3.2-8b", "glm4-9b",
                "nous-hermes2-mixtral-8x7b", "mistral-7b-instruct-fp16")) {
            Path model = ToolChoiceTest.model(template);
            ObjectNode body = (ObjectNode) JsonSchemas.parse("{\"messages\":" + MESSAGES + ",\"tools\":"
                    + ToolChoiceTest.TOOLS + "}", "body");
            try (RunningBox box = new RunningBox("-m", model.toString(), "-c", "4096", "-np", "1");
                 PeerServer peer = PeerServer.start(model, List.of("--jinja", "-c", "4096", "-np", "1"))) {
                PeerServer.Response applied = peer.post("/apply-template", body.toString());
                ObjectNode chat = body.deepCopy();
                chat.put("max_tokens", 1);
                chat.put("tool_choice", "none");
                HttpResponse<String> ours = box.post("/v1/chat/completions", chat.toString());
                if (applied.status() != 200) {
                    assertEquals(400, ours.statusCode(), template + ": the peer refused (" + applied.body()
                            + "), ours answered " + ours.body());
                    refused.add(template);
                    continue;
                }
                assertEquals(200, ours.statusCode(), template + ": " + ours.body());
                String prompt = JsonSchemas.parse(applied.body(), "applied").get("prompt").asText();
                // the tokenizer adds BOS itself, so our route drops a BOS the template wrote (as the peer does)
                String bos = JsonSchemas.parse(box.get("/props").body(), "props").get("bos_token").asText();
                if (prompt.startsWith(bos)) {
                    prompt = prompt.substring(bos.length());
                }
                assertTrue(prompt.contains("get_weather") || template.startsWith("glm4")
                        || template.startsWith("nous-hermes") || template.startsWith("granite"), template + ": " + prompt);
                ObjectNode tokenize = JsonSchemas.JSON.createObjectNode();
                tokenize.put("content", prompt).put("add_special", true).put("parse_special", true);
                JsonNode tokens = JsonSchemas.parse(box.post("/tokenize", tokenize.toString()).body(), "tokens").get("tokens");
                assertEquals(tokens.size(), JsonSchemas.parse(ours.body(), "ours").at("/usage/prompt_tokens").asInt(),
                        template + ": our prompt differs from the peer's:\n" + prompt);
                compared.add(template);
            }
        }
        // the Mistral template allows only alternating user and assistant messages
        assertEquals(List.of("mistral-7b-instruct-fp16"), refused);
        assertEquals(5, compared.size(), compared.toString());
    }
}
