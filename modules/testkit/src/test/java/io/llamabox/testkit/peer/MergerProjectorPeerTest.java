package io.llamabox.testkit.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.gguf.GgufFile;
import io.llamabox.testkit.gguf.GgufReader;
import io.llamabox.testkit.model.DecoderArch;
import io.llamabox.testkit.model.DecoderSpec;
import io.llamabox.testkit.model.ProjectorSpec;
import io.llamabox.testkit.model.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The peer's llama.cpp loads the generated {@code qwen2vl} text model (M-RoPE) and libmtmd its
 * Qwen2-VL-style merger, and sizes images dynamically with it; the LLaVA-style projector is unchanged.
 */
class MergerProjectorPeerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DecoderSpec TEXT = DecoderSpec.tinyQwen2Vl();
    private static final ProjectorSpec SPEC = ProjectorSpec.tinyMergerFor(TEXT);

    @TempDir
    Path dir;

    /** A binary PPM (stb_image reads it like any other format). */
    private static byte[] ppm(int w, int h, int seed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("P6\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < w * h * 3; i++) {
            out.write((i * 11 + seed * 57) & 0xFF);
        }
        return out.toByteArray();
    }

    /** A black binary PPM of the same size. */
    private static byte[] black(int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("P6\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[w * h * 3]);
        return out.toByteArray();
    }

    @Test
    void theFilesHoldWhatLlamaCppAndLibmtmdRead() throws Exception {
        GgufFile text = GgufReader.read(TestModels.get(TEXT, dir));
        assertEquals("qwen2vl", text.require("general.architecture").asString());
        List<Integer> sections = text.require("qwen2vl.rope.dimension_sections").asList().stream()
                .map(x -> ((Number) x).intValue()).toList();
        assertEquals(List.of(2, 3, 3, 0), sections, "a quarter temporal, the rest height and width, of 8 rotary pairs");
        assertArrayEquals(new int[] {2, 3, 3, 0}, TEXT.ropeSections());
        assertEquals(TEXT.parameterCount(), text.parameterCount());

        GgufFile f = GgufReader.read(TestModels.get(SPEC, dir));
        assertEquals("qwen2vl_merger", f.require("clip.projector_type").asString());
        assertEquals(2, f.require("clip.vision.spatial_merge_size").asInt());
        long[] kernel = {SPEC.patchSize(), SPEC.patchSize(), 3, SPEC.embd()};
        assertArrayEquals(kernel, f.tensor("v.patch_embd.weight").orElseThrow().dims());
        assertArrayEquals(kernel, f.tensor("v.patch_embd.weight.1").orElseThrow().dims());
        assertArrayEquals(new long[] {4L * SPEC.embd(), SPEC.hidden()}, f.tensor("mm.0.weight").orElseThrow().dims());
        assertArrayEquals(new long[] {SPEC.hidden(), TEXT.embd()}, f.tensor("mm.2.weight").orElseThrow().dims());
        assertTrue(f.tensor("v.class_embd").isEmpty() && f.tensor("v.patch_embd.bias").isEmpty(),
                "libmtmd's Qwen2-VL graph asserts there is neither");
        assertEquals(SPEC.parameterCount(), f.parameterCount());
        assertEquals(400, SPEC.imageTokens(), "a 560-pixel square is 20 x 20 merged patches");
        assertThrows(IllegalArgumentException.class, () -> SPEC.withEmbd(36), "head size 18 is not a multiple of 4");
        assertThrows(IllegalArgumentException.class, () -> SPEC.withImageSize(546), "not a multiple of 28");
        assertThrows(IllegalArgumentException.class, () -> TEXT.withHeads(16), "head size 4 has no room for M-RoPE");
        assertEquals(DecoderArch.QWEN2VL, DecoderArch.parse("qwen2vl"));
    }

    @Test
    void theLlavaProjectorKeepsItsFileNameAndBytes() throws Exception {
        ProjectorSpec llava = ProjectorSpec.tinyFor(DecoderSpec.tinyLlama());
        assertEquals(ProjectorSpec.Kind.MLP, llava.kind());
        Path path = TestModels.get(llava, dir);
        assertEquals("tiny-llama-mmproj-c096593d90f5.gguf", path.getFileName().toString());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)));
        assertEquals("49afc58c66538ba7ec3b6e383df522f1a6a94644bf73a884e21618555baf1927", sha);
    }

    @Test
    void mtmdCliDescribesAnImageWithTheTinyQwen2Vl() throws Exception {
        // Proof that the peer read the projector and the image: it exits 0, generates text, and another
        // image (a black one) gives other greedy text. Not its log: llama.cpp's asynchronous logger can
        // drop its last lines when the process exits.
        String first = describe(ppm(100, 70, 1), "first.ppm");
        String second = describe(black(100, 70), "second.ppm");
        assertFalse(first.isBlank(), "some text was generated");
        assertNotEquals(first, second, "the image decides the text");
    }

    private String describe(byte[] picture, String name) throws Exception {
        Path image = Files.write(dir.resolve(name), picture);
        Peer.Result r = Peer.run("llama-mtmd-cli", List.of("-m", TestModels.qwen2Vl().toString(), "--mmproj",
                TestModels.mergerProjector().toString(), "--image", image.toString(), "-p", "Describe it.", "-n", "8",
                "--temp", "0", "-t", "2"), Duration.ofSeconds(120));
        assertEquals(0, r.exitCode(), r.stderr());
        return r.stdout();
    }

    @Test
    void thePeerServerCountsOneEmbeddingPerMergedPatch() throws Exception {
        try (PeerServer s = PeerServer.start(TestModels.qwen2Vl(), List.of("--mmproj",
                TestModels.mergerProjector().toString(), "-c", "2048", "-np", "1", "-t", "2"))) {
            int small = promptTokens(s, ppm(7 * 28, 5 * 28, 2));
            int large = promptTokens(s, ppm(14 * 28, 10 * 28, 3));
            assertEquals(14 * 10 - 7 * 5, large - small, "an image is as many embeddings as 28x28 squares");
        }
    }

    private static int promptTokens(PeerServer s, byte[] ppm) throws Exception {
        String url = "data:image/x-portable-pixmap;base64," + Base64.getEncoder().encodeToString(ppm);
        String body = "{\"temperature\":0,\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + url + "\"}},"
                + "{\"type\":\"text\",\"text\":\"What is it?\"}]}]}";
        PeerServer.Response r = s.post("/v1/chat/completions", body);
        assertEquals(200, r.status(), r.body());
        JsonNode n = JSON.readTree(r.body());
        return n.at("/usage/prompt_tokens").asInt();
    }
}
