package io.llamabox.testkit.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.model.EncoderSpec;
import io.llamabox.testkit.model.Pooling;
import io.llamabox.testkit.model.SpecialTokens;
import io.llamabox.testkit.model.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The peer llama.cpp serves embeddings and rerank scores from the generated BERT models. */
class EncoderPeerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path models;

    private static JsonNode post(PeerServer s, String path, Map<String, ?> body) throws IOException {
        PeerServer.Response r = s.post(path, JSON.writeValueAsString(body));
        assertEquals(200, r.status(), path + " answered " + r.body());
        return JSON.readTree(r.body());
    }

    private static double[] vector(JsonNode n) {
        double[] v = new double[n.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = n.get(i).asDouble();
            assertTrue(Double.isFinite(v[i]));
        }
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(value = Pooling.class, names = {"MEAN", "CLS"})
    void peerServesNormalizedEmbeddingsThatDependOnTheText(Pooling pooling) throws IOException {
        EncoderSpec spec = EncoderSpec.tinyEmbedding().withPooling(pooling);
        Path model = TestModels.get(spec, models);
        try (PeerServer s = PeerServer.start(model, List.of("--embedding", "-c", "512", "-np", "1", "-t", "2"))) {
            JsonNode r = post(s, "/v1/embeddings", Map.of("input",
                    List.of("hello world", "the quick brown fox jumps over the lazy dog", "hello world")));
            JsonNode data = r.get("data");
            assertEquals(3, data.size());
            double[] a = vector(data.get(0).get("embedding"));
            double[] b = vector(data.get(1).get("embedding"));
            double[] c = vector(data.get(2).get("embedding"));
            assertEquals(spec.embd(), a.length);
            assertEquals(1.0, Math.sqrt(dot(a, a)), 1e-3, "the peer L2-normalizes");
            assertTrue(dot(a, b) < 0.999, "different texts give different vectors: cos = " + dot(a, b));
            assertEquals(1.0, dot(a, c), 1e-5, "the same text gives the same vector");

            JsonNode tok = post(s, "/tokenize", Map.of("content", "hello, world", "add_special", true));
            List<Integer> ids = new java.util.ArrayList<>();
            tok.get("tokens").forEach(t -> ids.add(t.asInt()));
            assertEquals(SpecialTokens.BERT_CLS, ids.getFirst(), ids.toString());
            assertEquals(SpecialTokens.BERT_SEP, ids.getLast(), ids.toString());
            assertEquals(5, ids.size(), "[CLS] hello , world [SEP]: " + ids);
        }
    }

    @Test
    void peerRerankerScoresEveryDocument() throws IOException {
        Path model = TestModels.reranker(models);
        try (PeerServer s = PeerServer.start(model, List.of("--rerank", "-c", "512", "-np", "1", "-t", "2"))) {
            List<String> docs = List.of("paris is the capital of france", "the cat sat on the mat",
                    "hello world", "a quick brown fox");
            JsonNode r = post(s, "/rerank", Map.of("query", "what is the capital of france", "documents", docs));
            JsonNode results = r.get("results");
            assertEquals(docs.size(), results.size(), r.toString());
            Set<Integer> indices = new HashSet<>();
            Set<Double> scores = new HashSet<>();
            for (JsonNode res : results) {
                indices.add(res.get("index").asInt());
                double score = res.get("relevance_score").asDouble();
                assertTrue(Double.isFinite(score), r.toString());
                scores.add(score);
            }
            assertEquals(Set.of(0, 1, 2, 3), indices);
            assertEquals(docs.size(), scores.size(), "documents get different scores: " + r);

            JsonNode again = post(s, "/rerank", Map.of("query", "what is the capital of france", "documents", docs));
            assertEquals(results, again.get("results"), "scores are deterministic");
        }
    }
}
