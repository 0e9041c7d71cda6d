package io.llamabox.cli.launch;

import static io.llamabox.cli.launch.EmbeddingsMatchPeerTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.model.DecoderSpec;
import io.llamabox.testkit.model.LoraGenerator;
import io.llamabox.testkit.model.LoraSpec;
import io.llamabox.testkit.model.TestModels;
import io.llamabox.testkit.peer.PeerServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA adapters: scale 0 is the base model, other scales give the peer's output at the same scale. */
class LoraAdaptersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PROMPTS = List.of("Once upon a time", "The capital of France is");

    @TempDir
    static Path dir;
    static Path model;
    static Path adapter;

    @BeforeAll
    static void files() throws Exception {
        model = TestModels.llama();
        adapter = dir.resolve("tiny-llama-lora.gguf");
        LoraGenerator.write(LoraSpec.of(DecoderSpec.tinyLlama()), adapter);
    }

    /** Our server keeps its prompt cache; the peer, the oracle, starts every request afresh. */
    private static String completion(String prompt, Float scale) throws Exception {
        return completion(prompt, scale, true);
    }

    private static String peerCompletion(String prompt, Float scale) throws Exception {
        return completion(prompt, scale, false);
    }

    private static String completion(String prompt, Float scale, boolean cachePrompt) throws Exception {
        Map<String, Object> body = new HashMap<>(Map.of("prompt", prompt, "n_predict", 16, "temperature", 0,
                "ignore_eos", true, "cache_prompt", cachePrompt));
        if (scale != null) {
            body.put("lora", List.of(Map.of("id", 0, "scale", scale)));
        }
        return JSON.writeValueAsString(body);
    }

    private static String content(HttpResponse<String> r) throws Exception {
        return ok(r).get("content").asText();
    }

    private static String content(PeerServer.Response r) throws Exception {
        assertEquals(200, r.status(), r.body());
        return JSON.readTree(r.body()).get("content").asText();
    }

    @Test
    void scaleZeroIsTheBaseModelAndOtherScalesGiveThePeersText() throws Exception {
        try (RunningBox box = new RunningBox("-m", model.toString(), "-c", "1024", "-np", "2",
                "--lora", adapter.toString(), "--lora-init-without-apply");
             PeerServer base = PeerServer.start(model, List.of("-c", "1024", "-np", "2"));
             PeerServer peer = PeerServer.start(model, List.of("-c", "1024", "-np", "2", "--lora", adapter.toString()))) {
            JsonNode listed = ok(box.get("/lora-adapters"));
            assertEquals(1, listed.size(), listed.toString());
            assertEquals(0, listed.get(0).get("id").asInt());
            assertEquals(adapter.toString(), listed.get(0).get("path").asText());
            assertEquals(0.0, listed.get(0).get("scale").asDouble(), "--lora-init-without-apply starts at 0");

            for (String prompt : PROMPTS) {
                String plain = content(base.post("/completion", peerCompletion(prompt, null)));
                String adapted = content(peer.post("/completion", peerCompletion(prompt, null)));
                String half = content(peer.post("/completion", peerCompletion(prompt, 0.5f)));
                assertNotEquals(plain, adapted, "the adapter changes the text of " + prompt);
                assertNotEquals(adapted, half, "the scale matters for " + prompt);

                assertEquals(plain, content(box.post("/completion", completion(prompt, null))), "at scale 0: " + prompt);
                assertEquals(adapted, content(box.post("/completion", completion(prompt, 1f))), "request at 1: " + prompt);
                assertEquals(half, content(box.post("/completion", completion(prompt, 0.5f))), "request at 0.5: " + prompt);
                assertEquals(plain, content(box.post("/completion", completion(prompt, 0f))), "request at 0: " + prompt);
            }

            assertEquals(true, ok(box.post("/lora-adapters", "[{\"id\":0,\"scale\":1.0}]")).get("success").asBoolean());
            assertEquals(1.0, ok(box.get("/lora-adapters")).get(0).get("scale").asDouble());
            String prompt = PROMPTS.getFirst();
            String adapted = content(peer.post("/completion", peerCompletion(prompt, null)));
            String plain = content(base.post("/completion", peerCompletion(prompt, null)));
            assertEquals(adapted, content(box.post("/completion", completion(prompt, null))), "after POST at 1");
            assertEquals(plain, content(box.post("/completion", completion(prompt, 0f))), "a request may still ask for 0");
            ok(box.post("/lora-adapters", "[]"));
            assertEquals(plain, content(box.post("/completion", completion(prompt, null))), "left out means off");
        }
    }

    @Test
    void concurrentRequestsWithDifferentScalesEachGetTheirOwnText() throws Exception {
        try (RunningBox box = new RunningBox("-m", model.toString(), "-c", "1024", "-np", "4",
                "--lora-scaled", adapter.toString(), "0.5");
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            assertEquals(0.5, ok(box.get("/lora-adapters")).get(0).get("scale").asDouble());
            Float[] scales = {null, 0f, 1f, 0.5f};
            Map<String, String> expected = new HashMap<>();
            for (String prompt : PROMPTS) {
                for (Float scale : scales) {
                    expected.put(prompt + scale, content(box.post("/completion", completion(prompt, scale))));
                }
                assertEquals(expected.get(prompt + null), expected.get(prompt + 0.5f), "the server's scale is 0.5");
                assertNotEquals(expected.get(prompt + 0f), expected.get(prompt + 1f));
            }
            List<CompletableFuture<String>> running = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (String prompt : PROMPTS) {
                    for (Float scale : scales) {
                        keys.add(prompt + scale);
                        running.add(CompletableFuture.supplyAsync(() -> {
                            try {
                                return content(box.post("/completion", completion(prompt, scale)));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }, pool));
                    }
                }
            }
            for (int i = 0; i < running.size(); i++) {
                assertEquals(expected.get(keys.get(i)), running.get(i).join(), keys.get(i));
            }
        }
    }

    @Test
    void badLoraRequestsGet400Or501() throws Exception {
        try (RunningBox box = new RunningBox("-m", model.toString(), "-c", "512", "--lora", adapter.toString())) {
            assertEquals(501, box.post("/lora-adapters", "[{\"id\":0,\"scale\":0.5}]").statusCode(),
                    "POST needs --lora-init-without-apply");
            String prompt = JSON.writeValueAsString(PROMPTS.getFirst());
            for (String lora : new String[] {"[{\"id\":5,\"scale\":1}]", "\"x\"", "[{\"id\":0}]",
                    "[{\"scale\":1}]", "[1]"}) {
                HttpResponse<String> r = box.post("/completion", "{\"prompt\":" + prompt + ",\"n_predict\":2,"
                        + "\"lora\":" + lora + "}");
                assertEquals(400, r.statusCode(), lora + " -> " + r.body());
            }
        }
        try (RunningBox box = new RunningBox("-m", model.toString(), "-c", "512", "--lora", adapter.toString(),
                "--lora-init-without-apply")) {
            for (String body : new String[] {"[{\"id\":3,\"scale\":1}]", "{\"id\":0}", "[{\"id\":0,\"scale\":\"big\"}]",
                    "not json"}) {
                HttpResponse<String> r = box.post("/lora-adapters", body);
                assertEquals(400, r.statusCode(), body + " -> " + r.body());
            }
        }
        try (RunningBox box = new RunningBox("-m", model.toString(), "-c", "512")) {
            assertEquals(501, box.get("/lora-adapters").statusCode(), "no adapters loaded");
            HttpResponse<String> r = box.post("/completion", "{\"prompt\":\"hi\",\"n_predict\":2,"
                    + "\"lora\":[{\"id\":0,\"scale\":1}]}");
            assertEquals(400, r.statusCode(), r.body());
        }
    }
}
