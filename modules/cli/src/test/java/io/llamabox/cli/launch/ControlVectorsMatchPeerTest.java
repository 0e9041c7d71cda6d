package io.llamabox.cli.launch;

import static io.llamabox.cli.launch.EmbeddingsMatchPeerTest.assertClose;
import static io.llamabox.cli.launch.EmbeddingsMatchPeerTest.floats;
import static io.llamabox.cli.launch.EmbeddingsMatchPeerTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.gguf.GgmlType;
import io.llamabox.testkit.gguf.GgufWriter;
import io.llamabox.testkit.gguf.TensorSource;
import io.llamabox.testkit.model.ControlVectorGenerator;
import io.llamabox.testkit.model.DecoderSpec;
import io.llamabox.testkit.model.TestModels;
import io.llamabox.testkit.peer.PeerServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --control-vector*} steer generation exactly as they steer the peer's: the same greedy text for the same
 * files, scales and layer range, and a different text than without them.
 */
class ControlVectorsMatchPeerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PROMPTS = List.of("Once upon a time", "The capital of France is");
    /** Four layers, so that a layer range leaves some out. */
    private static final DecoderSpec SPEC = DecoderSpec.tinyLlama().withLayers(4).withName("tiny-llama-4-layers");

    @TempDir
    static Path dir;
    static Path model;
    static Path vectorA;
    static Path vectorB;

    @BeforeAll
    static void files() throws Exception {
        model = TestModels.get(SPEC, TestModels.defaultDirectory());
        vectorA = vector("a.gguf", 1, new int[] {1, 2, 3});
        vectorB = vector("b.gguf", 2, new int[] {2, 3, 4});
    }

    /** Random directions of the model's width for {@code layers}. */
    private static Path vector(String name, long seed, int[] layers) throws Exception {
        Path p = dir.resolve(name);
        ControlVectorGenerator.write(SPEC.embd(), seed, layers, p);
        return p;
    }

    private static String body(String prompt) throws Exception {
        return JSON.writeValueAsString(Map.of("prompt", prompt, "n_predict", 16, "temperature", 0, "ignore_eos", true,
                "cache_prompt", false));
    }

    private static List<String> ours(String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("-m", model.toString(), "-c", "512", "-np", "1"));
        args.addAll(List.of(flags));
        List<String> out = new ArrayList<>();
        try (RunningBox box = new RunningBox(args.toArray(String[]::new))) {
            for (String p : PROMPTS) {
                out.add(ok(box.post("/completion", body(p))).get("content").asText());
            }
        }
        return out;
    }

    private static List<String> peers(String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("-c", "512", "-np", "1"));
        args.addAll(List.of(flags));
        List<String> out = new ArrayList<>();
        try (PeerServer peer = PeerServer.start(model, args)) {
            for (String p : PROMPTS) {
                PeerServer.Response r = peer.post("/completion", body(p));
                assertEquals(200, r.status(), r.body());
                JsonNode n = JSON.readTree(r.body());
                out.add(n.get("content").asText());
            }
        }
        return out;
    }

    @Test
    void aScaledVectorGivesThePeersText() throws Exception {
        List<String> plain = peers();
        // the peer takes FILE:SCALE where the spec (and we) take FILE SCALE
        List<String> steered = peers("--control-vector-scaled", vectorA + ":0.8");
        assertNotEquals(plain, steered, "the vector changes the peer's text");
        assertEquals(steered, ours("--control-vector-scaled", vectorA.toString(), "0.8"));
        assertEquals(plain, ours(), "without the vector");
    }

    @Test
    void severalVectorsOnALayerRangeGiveThePeersText() throws Exception {
        List<String> all = peers("--control-vector", vectorA.toString(), "--control-vector-scaled", vectorB + ":-0.5");
        List<String> ranged = peers("--control-vector", vectorA.toString(), "--control-vector-scaled", vectorB + ":-0.5",
                "--control-vector-layer-range", "2", "3");
        assertNotEquals(all, ranged, "the range leaves layer 1 out");
        assertEquals(ranged, ours("--control-vector", vectorA.toString(), "--control-vector-scaled", vectorB.toString(),
                "-0.5", "--control-vector-layer-range", "2", "3"));
    }

    @Test
    void theEmbeddingsOfATextModelAreSteeredLikeThePeers() throws Exception {
        String body = JSON.writeValueAsString(Map.of("input", List.of("Once upon a time", "def f(x):")));
        List<String> common = List.of("--embeddings", "--pooling", "mean", "-c", "512", "-np", "1");
        JsonNode plain;
        JsonNode mine;
        try (RunningBox box = new RunningBox(concat(List.of("-m", model.toString()), common,
                List.of("--control-vector-scaled", vectorA.toString(), "0.8")).toArray(String[]::new))) {
            mine = ok(box.post("/v1/embeddings", body)).get("data");
        }
        try (RunningBox box = new RunningBox(concat(List.of("-m", model.toString()), common).toArray(String[]::new))) {
            plain = ok(box.post("/v1/embeddings", body)).get("data");
        }
        JsonNode theirs;
        try (PeerServer peer = PeerServer.start(model, concat(common,
                List.of("--flash-attn", "off", "--control-vector-scaled", vectorA + ":0.8")))) {
            PeerServer.Response r = peer.post("/v1/embeddings", body);
            assertEquals(200, r.status(), r.body());
            theirs = JSON.readTree(r.body()).get("data");
        }
        for (int i = 0; i < 2; i++) {
            float[] steered = floats(mine.get(i).get("embedding"));
            assertClose(floats(theirs.get(i).get("embedding")), steered, 1e-4f, "input " + i);
            assertNotEquals(plain.get(i).get("embedding"), mine.get(i).get("embedding"), "the vector changes it");
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> out = new ArrayList<>();
        for (List<String> p : parts) {
            out.addAll(p);
        }
        return out;
    }

    @Test
    void aVectorOfAnotherWidthStopsTheServerWithOneClearLine() throws Exception {
        GgufWriter w = new GgufWriter();
        w.addTensor("direction.1", GgmlType.F32, new long[] {SPEC.embd() / 2}, TensorSource.constant(0.5f));
        Path narrow = dir.resolve("narrow.gguf");
        w.write(narrow);
        Path log = dir.resolve("narrow.log");
        try (BoxProcess box = BoxProcess.start(log, "-m", model.toString(), "-c", "256", "--port", "0",
                "--control-vector", narrow.toString())) {
            assertTrue(box.process.waitFor(60, TimeUnit.SECONDS), "the process ended");
            assertEquals(1, box.process.exitValue());
            String out = Files.readString(log);
            assertTrue(out.contains("control vector " + narrow + ": tensor direction.1 has " + SPEC.embd() / 2
                    + " values, but the model's n_embd is " + SPEC.embd()), out);
            assertTrue(!out.contains("\tat "), "no stack trace:\n" + out);
        }
    }
}
