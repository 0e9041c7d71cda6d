package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.model.TestModels;
import io.llamabox.testkit.peer.PeerServer;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole server against the peer llama-server on the same model: same greedy text, same shapes. */
class ServerMatchesPeerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PROMPTS = List.of("Once upon a time", "The capital of France is", "def f(x):");

    @Test
    void greedyCompletionAndChatMatchThePeerStreamingOrNot() throws Exception {
        Path model = TestModels.llama();
        try (RunningBox box = new RunningBox("-m", model.toString(), "-c", "1024", "-np", "2");
             PeerServer peer = PeerServer.start(model, List.of("-c", "1024", "-np", "2"))) {
            for (String prompt : PROMPTS) {
                String completion = "{\"prompt\":" + JSON.writeValueAsString(prompt)
                        + ",\"n_predict\":24,\"temperature\":0,\"cache_prompt\":false}";
                JsonNode ours = JSON.readTree(box.post("/completion", completion).body());
                JsonNode theirs = JSON.readTree(peer.post("/completion", completion).body());
                assertEquals(theirs.get("content").asText(), ours.get("content").asText(), "/completion " + prompt);
                assertEquals(theirs.get("tokens_predicted").asInt(), ours.get("tokens_predicted").asInt());

                String chat = "{\"model\":\"m\",\"max_tokens\":24,\"temperature\":0,\"messages\":["
                        + "{\"role\":\"system\",\"content\":\"You are terse.\"},"
                        + "{\"role\":\"user\",\"content\":" + JSON.writeValueAsString(prompt) + "}]}";
                JsonNode oc = JSON.readTree(box.post("/v1/chat/completions", chat).body());
                JsonNode pc = JSON.readTree(peer.post("/v1/chat/completions", chat).body());
                String expected = pc.at("/choices/0/message/content").asText();
                assertEquals(expected, oc.at("/choices/0/message/content").asText(), "chat " + prompt);
                assertEquals(pc.at("/usage/prompt_tokens").asInt(), oc.at("/usage/prompt_tokens").asInt());
                assertEquals("length", oc.at("/choices/0/finish_reason").asText());

                String streamed = chat.replaceFirst("\\{", "{\"stream\":true,");
                assertEquals(expected, streamedContent(box.post("/v1/chat/completions", streamed).body()), "stream " + prompt);
                assertEquals(expected, streamedContent(peer.post("/v1/chat/completions", streamed).body()));
            }
        }
    }

    private static String streamedContent(String sse) throws Exception {
        StringBuilder out = new StringBuilder();
        boolean done = false;
        for (String line : sse.split("\n")) {
            if (line.equals("data: [DONE]")) {
                done = true;
            } else if (line.startsWith("data: ")) {
                JsonNode chunk = JSON.readTree(line.substring(6));
                assertEquals("chat.completion.chunk", chunk.get("object").asText());
                JsonNode content = chunk.at("/choices/0/delta/content");
                if (content.isTextual()) {
                    out.append(content.asText());
                }
            }
        }
        assertTrue(done, "stream ends with [DONE]");
        return out.toString();
    }

    @Test
    void aClientThatDisconnectsMidStreamFreesItsSlot() throws Exception {
        try (RunningBox box = new RunningBox("-m", TestModels.llama().toString(), "-c", "4096", "-np", "1", "--slots")) {
            String body = "{\"stream\":true,\"max_tokens\":100000,\"ignore_eos\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
            try (Socket s = new Socket("127.0.0.1", box.server.port())) {
                s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.UTF_8));
                InputStream in = s.getInputStream();
                byte[] buf = new byte[4096];
                int got = 0;
                while (got < 2000) {
                    int n = in.read(buf);
                    assertTrue(n > 0, "the stream is flowing");
                    got += n;
                }
                JsonNode slots = JSON.readTree(box.get("/slots").body());
                assertTrue(slots.get(0).get("state").asInt() != 0, "slot busy while streaming: " + slots);
            }
            long deadline = System.currentTimeMillis() + 60_000; // a guard against a hang, not a measure
            JsonNode slots;
            do {
                Thread.sleep(100);
                slots = JSON.readTree(box.get("/slots").body());
            } while (slots.get(0).get("state").asInt() != 0 && System.currentTimeMillis() < deadline);
            assertEquals(0, slots.get(0).get("state").asInt(), "slot freed after the client left: " + slots);
            JsonNode next = JSON.readTree(box.post("/v1/chat/completions",
                    "{\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"again\"}]}").body());
            assertEquals("length", next.at("/choices/0/finish_reason").asText());
        }
    }

    @Test
    void badRequestsGet400AndTheServerGoesOn() throws Exception {
        try (RunningBox box = new RunningBox("-m", TestModels.llama().toString(), "-c", "256", "-np", "1")) {
            String[] bad = {
                "{not json",
                "{\"messages\":\"hello\"}",
                "{\"messages\":[]}",
                "{\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"hot\"}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"logit_bias\":{\"99999999\":1}}",
                "{\"messages\":[{\"role\":\"user\",\"content\":" + JSON.writeValueAsString("word ".repeat(400)) + "}]}",
            };
            for (String b : bad) {
                var res = box.post("/v1/chat/completions", b);
                assertEquals(400, res.statusCode(), b + " -> " + res.body());
                JsonNode err = JSON.readTree(res.body()).get("error");
                assertEquals(400, err.get("code").asInt());
                assertEquals("invalid_request_error", err.get("type").asText());
                assertFalse(err.get("message").asText().isBlank());
            }
            var tooLong = JSON.readTree(box.post("/v1/chat/completions", bad[bad.length - 1]).body());
            assertTrue(tooLong.at("/error/message").asText().contains("each slot"), tooLong.toString());
            var ok = box.post("/v1/chat/completions", "{\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertEquals(200, ok.statusCode(), ok.body());
        }
    }
}
