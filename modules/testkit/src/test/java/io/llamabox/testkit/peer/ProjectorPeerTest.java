package io.llamabox.testkit.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.gguf.GgufFile;
import io.llamabox.testkit.gguf.GgufReader;
import io.llamabox.testkit.model.DecoderSpec;
import io.llamabox.testkit.model.ProjectorSpec;
import io.llamabox.testkit.model.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The peer's libmtmd loads the generated projector and runs images through it with the tiny llama. */
class ProjectorPeerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ProjectorSpec SPEC = ProjectorSpec.tinyFor(DecoderSpec.tinyLlama());

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
    void theProjectorFileHoldsWhatLibmtmdReads() throws Exception {
        Path path = TestModels.get(SPEC, dir);
        GgufFile f = GgufReader.read(path);
        assertEquals("clip", f.require("general.architecture").asString());
        assertEquals("mlp", f.require("clip.projector_type").asString());
        assertEquals(SPEC.imageSize(), f.require("clip.vision.image_size").asInt());
        assertEquals(SPEC.textEmbd(), f.tensor("mm.2.weight").orElseThrow().dims()[1]);
        assertEquals(SPEC.imageTokens() + 1, f.tensor("v.position_embd.weight").orElseThrow().dims()[1]);
        assertEquals(SPEC.parameterCount(), f.parameterCount());
        assertThrows(IllegalArgumentException.class, () -> SPEC.withPatchSize(15));
        assertThrows(IllegalArgumentException.class, () -> SPEC.withFf(SPEC.embd()));
    }

    @Test
    void mtmdCliDescribesAnImageWithTheTinyLlama() throws Exception {
        // Proof that the peer read the projector and the image: it exits 0, generates text, and another
        // image (a black one) gives other greedy text. Not its log: llama.cpp's asynchronous logger can
        // drop its last lines when the process exits.
        String first = describe(ppm(48, 40, 1), "first.ppm");
        String second = describe(black(48, 40), "second.ppm");
        assertFalse(first.isBlank(), "some text was generated");
        assertNotEquals(first, second, "the image decides the text");
    }

    private String describe(byte[] picture, String name) throws Exception {
        Path image = Files.write(dir.resolve(name), picture);
        Peer.Result r = Peer.run("llama-mtmd-cli", List.of("-m", TestModels.llama().toString(), "--mmproj",
                TestModels.projector().toString(), "--image", image.toString(), "-p", "Describe it.", "-n", "8",
                "--temp", "0", "-t", "2"), Duration.ofSeconds(120));
        assertEquals(0, r.exitCode(), r.stderr());
        return r.stdout();
    }

    @Test
    void thePeerServerCountsTheImageEmbeddingsInThePrompt() throws Exception {
        try (PeerServer s = PeerServer.start(TestModels.llama(), List.of("--mmproj", TestModels.projector().toString(),
                "-c", "1024", "-np", "1", "-t", "2"))) {
            String url = "data:image/x-portable-pixmap;base64," + Base64.getEncoder().encodeToString(ppm(50, 30, 2));
            String withImage = "{\"temperature\":0,\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":["
                    + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + url + "\"}},"
                    + "{\"type\":\"text\",\"text\":\"What is it?\"}]}]}";
            String textOnly = "{\"temperature\":0,\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":"
                    + "\"What is it?\"}]}";
            JsonNode a = JSON.readTree(s.post("/v1/chat/completions", withImage).body());
            JsonNode b = JSON.readTree(s.post("/v1/chat/completions", textOnly).body());
            assertEquals(SPEC.imageTokens(), a.at("/usage/prompt_tokens").asInt() - b.at("/usage/prompt_tokens").asInt(), a.toString());
            assertNotEquals(a.at("/choices/0/message/content").asText(), b.at("/choices/0/message/content").asText(),
                    "the image changes the answer");
        }
    }
}
