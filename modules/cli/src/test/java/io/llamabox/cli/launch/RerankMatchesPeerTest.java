package io.llamabox.cli.launch;

import static io.llamabox.cli.launch.EmbeddingsMatchPeerTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.gguf.GgufWriter;
import io.llamabox.testkit.model.EncoderSpec;
import io.llamabox.testkit.model.ModelGenerator;
import io.llamabox.testkit.model.TestModels;
import io.llamabox.testkit.peer.PeerServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/rerank} of the whole server: raw scores equal the peer's (both without flash attention,
 * whose CPU kernel makes a score depend on the rest of its batch), normalized scores are those raw
 * scores mapped linearly into 0.001..0.999.
 */
class RerankMatchesPeerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUERY = "what is the capital of france";
    private static final List<String> DOCS = List.of("paris is the capital of france", "the cat sat on the mat",
            "hello world", "a quick brown fox", "what is the capital of france", "france");

    @Test
    void rawScoresEqualThePeersInAnyBatch() throws Exception {
        Path model = TestModels.reranker();
        try (RunningBox box = new RunningBox("-m", model.toString(), "--rerank", "-c", "2048", "-np", "4");
             PeerServer peer = PeerServer.start(model, List.of("--rerank", "-c", "2048", "-np", "4", "-t", "2",
                     "--flash-attn", "off"))) {
            String body = JSON.writeValueAsString(Map.of("query", QUERY, "documents", DOCS, "normalize", false));
            JsonNode ours = ok(box.post("/v1/rerank", body));
            PeerServer.Response pr = peer.post("/v1/rerank", body);
            assertEquals(200, pr.status(), pr.body());
            JsonNode theirs = JSON.readTree(pr.body());
            Map<Integer, Double> peerScores = scores(theirs);
            Map<Integer, Double> ourScores = scores(ours);
            assertEquals(DOCS.size(), ourScores.size());
            for (int i = 0; i < DOCS.size(); i++) {
                assertEquals(peerScores.get(i), ourScores.get(i), 1e-6, "document " + i);
                JsonNode alone = ok(box.post("/v1/rerank", JSON.writeValueAsString(
                        Map.of("query", QUERY, "documents", List.of(DOCS.get(i)), "normalize", false))));
                assertEquals(ourScores.get(i), alone.at("/results/0/relevance_score").asDouble(), 1e-6,
                        "document " + i + " alone scores as in the batch");
            }
            assertEquals(theirs.at("/usage/prompt_tokens").asInt(), ours.at("/usage/prompt_tokens").asInt(),
                    "the same pair layout: " + ours.get("usage") + " vs " + theirs.get("usage"));
            double last = Double.POSITIVE_INFINITY;
            for (JsonNode r : ours.get("results")) {
                assertTrue(r.get("relevance_score").asDouble() <= last, "best first: " + ours);
                last = r.get("relevance_score").asDouble();
                assertEquals(DOCS.get(r.get("index").asInt()), r.at("/document/text").asText());
            }
        }
    }

    @Test
    void aModelsRerankTemplateLaysOutThePairsAsThePeersDoes(@TempDir Path dir) throws Exception {
        // the tiny reranker's weights with a rerank template in its metadata
        Path model = dir.resolve("rerank-template.gguf");
        GgufWriter w = ModelGenerator.writer(EncoderSpec.tinyReranker().withName("tiny-bert-rerank-template"));
        w.putString("tokenizer.chat_template.rerank", "[CLS]query: {query}[SEP]document: {document}[SEP]");
        w.write(model);
        String body = JSON.writeValueAsString(Map.of("query", QUERY, "documents", DOCS, "normalize", false));
        Map<Integer, Double> plain;
        try (RunningBox box = new RunningBox("-m", TestModels.reranker().toString(), "--rerank", "-c", "2048",
                "-np", "2")) {
            plain = scores(ok(box.post("/v1/rerank", body)));
        }
        try (RunningBox box = new RunningBox("-m", model.toString(), "--rerank", "-c", "2048", "-np", "2");
             PeerServer peer = PeerServer.start(model, List.of("--rerank", "-c", "2048", "-np", "2", "-t", "2",
                     "--flash-attn", "off"))) {
            JsonNode ours = ok(box.post("/v1/rerank", body));
            PeerServer.Response pr = peer.post("/v1/rerank", body);
            assertEquals(200, pr.status(), pr.body());
            JsonNode theirs = JSON.readTree(pr.body());
            assertEquals(theirs.at("/usage/prompt_tokens").asInt(), ours.at("/usage/prompt_tokens").asInt(),
                    "the same pair layout: " + ours.get("usage") + " vs " + theirs.get("usage"));
            Map<Integer, Double> peerScores = scores(theirs);
            Map<Integer, Double> ourScores = scores(ours);
            boolean changed = false;
            for (int i = 0; i < DOCS.size(); i++) {
                assertEquals(peerScores.get(i), ourScores.get(i), 1e-6, "document " + i);
                changed |= Math.abs(ourScores.get(i) - plain.get(i)) > 1e-4;
            }
            assertTrue(changed, "the template changes the pairs: " + ourScores + " vs " + plain);
            JsonNode normalized = ok(box.post("/v1/rerank", JSON.writeValueAsString(
                    Map.of("query", QUERY, "documents", DOCS))));
            for (JsonNode r : normalized.get("results")) {
                double n = r.get("relevance_score").asDouble();
                assertTrue(n >= 0.001 - 1e-9 && n <= 0.999 + 1e-9, "anchors through the template too: " + normalized);
            }
        }
    }

    @Test
    void normalizedScoresAreTheRawScoresMappedLinearlyIntoTheAnchors() throws Exception {
        try (RunningBox box = new RunningBox("-m", TestModels.reranker().toString(), "--rerank", "-c", "2048",
                "-np", "2")) {
            Map<Integer, Double> raw = scores(ok(box.post("/v1/rerank", JSON.writeValueAsString(
                    Map.of("query", QUERY, "documents", DOCS.subList(0, 4), "normalize", false)))));
            JsonNode normalized = ok(box.post("/v1/rerank", JSON.writeValueAsString(
                    Map.of("query", QUERY, "documents", DOCS.subList(0, 4)))));
            Map<Integer, Double> norm = scores(normalized);
            double slope = Double.NaN;
            for (int i = 0; i < 4; i++) {
                double n = norm.get(i);
                assertTrue(n >= 0.001 - 1e-9 && n <= 0.999 + 1e-9, "in 0.001..0.999: " + normalized);
                for (int j = i + 1; j < 4; j++) {
                    double s = (norm.get(i) - norm.get(j)) / (raw.get(i) - raw.get(j));
                    if (Double.isNaN(slope)) {
                        slope = s;
                    }
                    assertEquals(slope, s, 1e-6 * Math.abs(slope), "one linear map for all documents");
                }
            }
            assertTrue(slope > 0, "the order is kept");

            List<Object> mixed = List.of(Map.of("text", DOCS.get(0)), DOCS.get(1), Map.of("text", DOCS.get(2)));
            Map<String, Object> req = new HashMap<>(Map.of("query", QUERY, "documents", mixed, "top_n", 2,
                    "return_documents", false, "normalize", false));
            JsonNode top = ok(box.post("/rerank", JSON.writeValueAsString(req)));
            assertEquals(2, top.get("results").size(), top.toString());
            assertFalse(top.get("results").get(0).has("document"), top.toString());
            assertEquals(raw.get(top.at("/results/0/index").asInt()), top.at("/results/0/relevance_score").asDouble(), 1e-6);
        }
    }

    @Test
    void badRequestsGet400() throws Exception {
        try (RunningBox box = new RunningBox("-m", TestModels.reranker().toString(), "--rerank", "-c", "512",
                "-np", "2")) {
            String longQuery = JSON.writeValueAsString("capital ".repeat(300));
            String[] bad = {
                "{\"documents\":[\"a\"]}",
                "{\"query\":\"q\"}",
                "{\"query\":\"q\",\"documents\":[]}",
                "{\"query\":\"q\",\"documents\":[1]}",
                "{\"query\":\"q\",\"documents\":[{\"txt\":\"a\"}]}",
                "{\"query\":\"q\",\"documents\":\"a\"}",
                "{\"query\":5,\"documents\":[\"a\"]}",
                "{\"query\":\"q\",\"documents\":[\"a\"],\"top_n\":0}",
                "{\"query\":\"q\",\"documents\":[" + JSON.writeValueAsString("word ".repeat(600)) + "]}",
                "{\"query\":" + longQuery + ",\"documents\":[\"a\"]}",
            };
            for (String b : bad) {
                HttpResponse<String> r = box.post("/v1/rerank", b);
                assertEquals(400, r.statusCode(), b + " -> " + r.body());
            }
            HttpResponse<String> raw = box.post("/v1/rerank",
                    "{\"query\":" + longQuery + ",\"documents\":[\"a\"],\"normalize\":false}");
            assertEquals(200, raw.statusCode(), "without the anchors a long query fits: " + raw.body());
        }
    }

    @Test
    void aModelWithoutRankPoolingRefusesToRerank() throws Exception {
        try (RunningBox box = new RunningBox("-m", TestModels.embedding().toString(), "--rerank", "-c", "512")) {
            HttpResponse<String> r = box.post("/v1/rerank", "{\"query\":\"q\",\"documents\":[\"a\"]}");
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(r.body().contains("rank"), r.body());
            assertEquals(200, box.post("/v1/embeddings", "{\"input\":\"a\"}").statusCode(), "embeddings still work");
        }
    }

    private static Map<Integer, Double> scores(JsonNode ranking) {
        Map<Integer, Double> out = new HashMap<>();
        for (JsonNode r : ranking.get("results")) {
            out.put(r.get("index").asInt(), r.get("relevance_score").asDouble());
        }
        return out;
    }
}
