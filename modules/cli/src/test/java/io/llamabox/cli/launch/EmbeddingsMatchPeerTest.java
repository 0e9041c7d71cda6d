package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.model.EncoderSpec;
import io.llamabox.testkit.model.Pooling;
import io.llamabox.testkit.model.TestModels;
import io.llamabox.testkit.peer.PeerServer;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code /v1/embeddings} of the whole server against the peer's, on generated BERT and llama models. Our
 * embedding contexts run without flash attention (its CPU kernel makes a vector depend on the other
 * sequences of its batch), so the peer runs without it too, and both are then batch-independent.
 */
class EmbeddingsMatchPeerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TEXTS = List.of("hello world", "the quick brown fox jumps over the lazy dog",
            "", "paris is the capital of france and a city of many bridges " .repeat(6), "a");

    @ParameterizedTest
    @EnumSource(value = Pooling.class, names = {"MEAN", "CLS"})
    void vectorsEqualThePeersInFloatAndBase64(Pooling pooling) throws Exception {
        Path model = TestModels.get(EncoderSpec.tinyEmbedding().withPooling(pooling), TestModels.defaultDirectory());
        try (RunningBox box = new RunningBox("-m", model.toString(), "--embeddings", "-c", "512", "-np", "4");
             PeerServer peer = PeerServer.start(model, List.of("--embeddings", "-c", "512", "-np", "4", "-t", "2",
                     "--flash-attn", "off"))) {
            String body = JSON.writeValueAsString(Map.of("input", TEXTS, "model", "m"));
            JsonNode ours = ok(box.post("/v1/embeddings", body));
            PeerServer.Response pr = peer.post("/v1/embeddings", body);
            assertEquals(200, pr.status(), pr.body());
            JsonNode theirs = JSON.readTree(pr.body());
            assertEquals("list", ours.get("object").asText());
            assertEquals("m", ours.get("model").asText());
            assertEquals(TEXTS.size(), ours.get("data").size());
            assertEquals(theirs.at("/usage/prompt_tokens").asInt(), ours.at("/usage/prompt_tokens").asInt());
            assertEquals(ours.at("/usage/prompt_tokens").asInt(), ours.at("/usage/total_tokens").asInt());
            List<float[]> vectors = new ArrayList<>();
            for (int i = 0; i < TEXTS.size(); i++) {
                JsonNode item = ours.get("data").get(i);
                assertEquals("embedding", item.get("object").asText());
                assertEquals(i, item.get("index").asInt());
                float[] v = floats(item.get("embedding"));
                assertEquals(64, v.length);
                assertClose(floats(theirs.get("data").get(i).get("embedding")), v, 1e-4f, "text " + i);
                double norm = 0;
                for (float x : v) {
                    norm += x * x;
                }
                assertEquals(1.0, Math.sqrt(norm), 1e-5, "unit length");
                vectors.add(v);
            }

            JsonNode b64 = ok(box.post("/v1/embeddings", JSON.writeValueAsString(
                    Map.of("input", TEXTS, "encoding_format", "base64"))));
            for (int i = 0; i < TEXTS.size(); i++) {
                String text = b64.get("data").get(i).get("embedding").asText();
                ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(text)).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(64 * Float.BYTES, bytes.remaining(), "the same length as the float vector");
                float[] decoded = new float[64];
                bytes.asFloatBuffer().get(decoded);
                assertArrayEquals(vectors.get(i), decoded, "base64 decodes to the float vector");
            }

            List<List<Integer>> tokens = new ArrayList<>();
            for (String t : TEXTS) {
                List<Integer> ids = new ArrayList<>();
                JSON.readTree(box.post("/tokenize", JSON.writeValueAsString(Map.of("content", t, "add_special", true)))
                        .body()).get("tokens").forEach(n -> ids.add(n.asInt()));
                tokens.add(ids);
            }
            JsonNode fromTokens = ok(box.post("/v1/embeddings", JSON.writeValueAsString(Map.of("input", tokens))));
            JsonNode fromOne = ok(box.post("/v1/embeddings", JSON.writeValueAsString(Map.of("input", tokens.get(1)))));
            JsonNode fromString = ok(box.post("/v1/embeddings", JSON.writeValueAsString(Map.of("input", TEXTS.get(1)))));
            for (int i = 0; i < TEXTS.size(); i++) {
                assertClose(vectors.get(i), floats(fromTokens.get("data").get(i).get("embedding")), 1e-6f, "tokens " + i);
            }
            assertEquals(1, fromOne.get("data").size());
            assertClose(vectors.get(1), floats(fromOne.get("data").get(0).get("embedding")), 1e-6f, "one token array");
            assertClose(vectors.get(1), floats(fromString.get("data").get(0).get("embedding")), 1e-6f, "one string");
        }
    }

    @Test
    void sixteenConcurrentRequestsGetTheSequentialVectors() throws Exception {
        Path model = TestModels.embedding();
        try (RunningBox box = new RunningBox("-m", model.toString(), "--embeddings", "-c", "2048", "-np", "4");
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                bodies.add(JSON.writeValueAsString(Map.of("input",
                        List.of("request " + i + " " + "word ".repeat(i), "second input of " + i))));
            }
            List<JsonNode> sequential = new ArrayList<>();
            for (String b : bodies) {
                sequential.add(ok(box.post("/v1/embeddings", b)));
            }
            List<CompletableFuture<JsonNode>> concurrent = new ArrayList<>();
            for (String b : bodies) {
                concurrent.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return ok(box.post("/v1/embeddings", b));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            for (int i = 0; i < 16; i++) {
                JsonNode c = concurrent.get(i).join();
                for (int k = 0; k < 2; k++) {
                    assertClose(floats(sequential.get(i).get("data").get(k).get("embedding")),
                            floats(c.get("data").get(k).get("embedding")), 1e-4f, "request " + i + " input " + k);
                }
            }
        }
    }

    @Test
    void badInputsGet400AndTheServerGoesOn() throws Exception {
        try (RunningBox box = new RunningBox("-m", TestModels.embedding().toString(), "--embeddings", "-c", "512",
                "-np", "2")) {
            String[] bad = {
                "{}",
                "{\"input\":[]}",
                "{\"input\":5}",
                "{\"input\":{\"text\":\"hi\"}}",
                "{\"input\":[\"a\",1]}",
                "{\"input\":[1,\"a\"]}",
                "{\"input\":[[1,2],[]]}",
                "{\"input\":[[1,2],\"a\"]}",
                "{\"input\":[[1,99999]]}",
                "{\"input\":[-1]}",
                "{\"input\":\"hi\",\"encoding_format\":\"int8\"}",
                "{\"input\":" + JSON.writeValueAsString("word ".repeat(600)) + "}",
                "{\"input\":\"hi\",\"dimensions\":3}",
            };
            for (String b : bad) {
                HttpResponse<String> r = box.post("/v1/embeddings", b);
                assertEquals(400, r.statusCode(), b + " -> " + r.body());
                JsonNode err = JSON.readTree(r.body()).get("error");
                assertEquals("invalid_request_error", err.get("type").asText(), r.body());
            }
            assertEquals(200, box.post("/v1/embeddings", "{\"input\":\"still fine\"}").statusCode());
            HttpResponse<String> chat = box.post("/v1/chat/completions",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertEquals(501, chat.statusCode(), "an embedding model does not chat: " + chat.body());
            assertEquals(200, box.get("/v1/models").statusCode());
            assertEquals(200, box.post("/tokenize", "{\"content\":\"hi\"}").statusCode());
        }
    }

    @Test
    void aTextModelWithEmbeddingsServesBothAndItsVectorsEqualThePeers() throws Exception {
        Path model = TestModels.llama();
        try (RunningBox box = new RunningBox("-m", model.toString(), "--embeddings", "--pooling", "mean", "-c", "1024",
                "-np", "2");
             PeerServer peer = PeerServer.start(model, List.of("--embeddings", "--pooling", "mean", "-c", "1024",
                     "-np", "2", "--flash-attn", "off"))) {
            String body = JSON.writeValueAsString(Map.of("input", List.of("Once upon a time", "def f(x):")));
            JsonNode mine = ok(box.post("/v1/embeddings", body));
            JsonNode theirs = JSON.readTree(peer.post("/v1/embeddings", body).body());
            for (int i = 0; i < 2; i++) {
                assertClose(floats(theirs.get("data").get(i).get("embedding")),
                        floats(mine.get("data").get(i).get("embedding")), 1e-4f, "input " + i);
            }
            JsonNode completion = ok(box.post("/completion",
                    "{\"prompt\":\"Once upon a time\",\"n_predict\":4,\"temperature\":0,\"ignore_eos\":true}"));
            assertEquals(4, completion.get("tokens_predicted").asInt(), completion.toString());
        }
    }

    static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static float[] floats(JsonNode array) {
        assertTrue(array.isArray(), "a float array: " + array);
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) array.get(i).asDouble();
        }
        return v;
    }

    static void assertClose(float[] expected, float[] actual, float tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, what + ": component " + i);
        }
    }
}
