package io.llamabox.jni;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llamabox.testkit.model.Pooling;
import io.llamabox.testkit.peer.PeerServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bridge gives the same tokens, generations and embeddings as the peer llama-server on the same model. */
class PeerParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> TEXTS = List.of(
            "Hello world", "  leading and   inner   spaces  ", "tabs\tand\nnewlines\n\n",
            "Ünïcödé — ümlauts, 日本語, emoji 🚀✨", "<|im_start|>user\nhi<|im_end|>", "a", "",
            "numbers 12345 and symbols !@#$%^&*()", "mixed\u00a0nbsp and \u200b zero width");

    @Test
    void tokenizeAndDetokenizeMatchThePeerForBothTokenizers() throws Exception {
        for (Path model : List.of(Fixtures.llama(), Fixtures.qwen2())) {
            try (Model m = Fixtures.load(model); PeerServer peer = PeerServer.start(model, List.of("-c", "256"))) {
                for (String text : TEXTS) {
                    for (boolean special : new boolean[] {false, true}) {
                        ObjectNode req = JSON.createObjectNode().put("content", text).put("add_special", special)
                                .put("parse_special", special);
                        JsonNode res = JSON.readTree(peer.post("/tokenize", req.toString()).body());
                        int[] expected = ints(res.get("tokens"));
                        int[] actual = m.vocab().tokenize(text, special, special);
                        assertArrayEquals(expected, actual, model.getFileName() + " tokenize " + text + " special=" + special);
                        ObjectNode det = JSON.createObjectNode();
                        ArrayNode arr = det.putArray("tokens");
                        for (int t : actual) {
                            arr.add(t);
                        }
                        String peerText = JSON.readTree(peer.post("/detokenize", det.toString()).body()).get("content").asText();
                        assertEquals(peerText, m.vocab().piecesText(actual, true), "detokenize " + text);
                    }
                }
            }
        }
    }

    @Test
    void greedyGenerationIsTokenIdenticalToThePeer() throws Exception {
        List<String> prompts = List.of("Once upon a time", "The capital of France is", "def fibonacci(n):");
        Path model = Fixtures.llama();
        try (Model m = Fixtures.load(model); PeerServer peer = PeerServer.start(model, List.of("-c", "512", "-np", "1"))) {
            for (String prompt : prompts) {
                ObjectNode req = JSON.createObjectNode().put("prompt", prompt).put("n_predict", 32).put("temperature", 0)
                        .put("return_tokens", true).put("cache_prompt", false);
                JsonNode res = JSON.readTree(peer.post("/completion", req.toString()).body());
                int[] expected = ints(res.get("tokens"));
                assertEquals(32, expected.length, "peer generated 32 tokens: " + res);
                int[] actual = greedy(m, prompt, 32);
                assertArrayEquals(expected, actual, "greedy tokens for " + prompt);
                assertEquals(res.get("content").asText(), m.vocab().piecesText(actual, false));
            }
        }
    }

    private static int[] greedy(Model m, String prompt, int n) {
        try (Context ctx = new Context(m, ContextParams.text(512, 512, 1, 2));
             Batch batch = Batch.allocate(512);
             Sampler sampler = Sampler.create(m, SamplerParams.greedy())) {
            int[] tokens = m.vocab().tokenize(prompt, true, true);
            for (int i = 0; i < tokens.length; i++) {
                batch.add(tokens[i], i, 0, i == tokens.length - 1);
            }
            assertEquals(0, ctx.decode(batch));
            int pos = tokens.length;
            int index = tokens.length - 1;
            List<Integer> out = new ArrayList<>();
            while (out.size() < n) {
                int t = sampler.sample(ctx, index);
                out.add(t);
                if (m.vocab().isEndOfGeneration(t)) {
                    break;
                }
                batch.clear();
                index = batch.add(t, pos++, 0, true);
                assertEquals(0, ctx.decode(batch));
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    @Test
    void pooledEmbeddingsMatchThePeerForMeanAndClsPooling() throws Exception {
        List<String> inputs = List.of("hello world", "the quick brown fox jumps", "a");
        for (Pooling pooling : List.of(Pooling.MEAN, Pooling.CLS)) {
            Path model = Fixtures.embedding(pooling);
            try (Model m = Fixtures.load(model);
                 PeerServer peer = PeerServer.start(model, List.of("--embeddings", "-c", "256", "-ub", "256", "-b", "256"))) {
                for (String input : inputs) {
                    ObjectNode req = JSON.createObjectNode().put("content", input);
                    JsonNode res = JSON.readTree(peer.post("/embedding", req.toString()).body());
                    JsonNode vec = res.get(0).get("embedding").get(0);
                    float[] expected = new float[vec.size()];
                    for (int i = 0; i < expected.length; i++) {
                        expected[i] = (float) vec.get(i).asDouble();
                    }
                    float[] actual = normalize(embed(m, input));
                    assertEquals(expected.length, actual.length);
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(expected[i], actual[i], 1e-4, pooling + " embedding[" + i + "] of " + input);
                    }
                }
            }
        }
    }

    private static float[] embed(Model m, String input) {
        try (Context ctx = new Context(m, ContextParams.embedding(256, 256, 1, 2, PoolingType.UNSPECIFIED));
             Batch batch = Batch.allocate(256)) {
            int[] tokens = m.vocab().tokenize(input, true, true);
            for (int i = 0; i < tokens.length; i++) {
                batch.add(tokens[i], i, 0, true);
            }
            assertEquals(0, ctx.encode(batch));
            return ctx.sequenceEmbedding(0);
        }
    }

    private static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        double norm = Math.sqrt(sum);
        assertTrue(norm > 0);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }

    private static int[] ints(JsonNode arr) {
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = arr.get(i).asInt();
        }
        return out;
    }
}
