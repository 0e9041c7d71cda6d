package io.llamabox.testkit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.gguf.GgmlType;
import io.llamabox.testkit.gguf.GgufFile;
import io.llamabox.testkit.gguf.GgufReader;
import io.llamabox.testkit.gguf.GgufTensorInfo;
import io.llamabox.testkit.peer.PeerServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DraftPairTest {

    private static final DecoderSpec BASE = DecoderSpec.tinyLlama().withLayers(4).withName("pair");

    @TempDir
    Path dir;

    @Test
    void draftIsTheTargetsFirstBlocksAndTheTargetsUpperBlocksAreScaled() throws IOException {
        Path t = dir.resolve("t.gguf");
        Path d = dir.resolve("d.gguf");
        Path plain = dir.resolve("plain.gguf");
        DraftPair.write(BASE, 1, 0.25f, 3f, t, d);
        ModelGenerator.write(BASE, plain);
        GgufFile tf = GgufReader.read(t);
        GgufFile df = GgufReader.read(d);
        GgufFile pf = GgufReader.read(plain);

        assertEquals(4, tf.require("llama.block_count").asInt());
        assertEquals(1, df.require("llama.block_count").asInt());
        assertTrue(df.tensors().stream().noneMatch(x -> x.name().startsWith("blk.1.")), "draft has block 0 only");
        for (GgufTensorInfo x : df.tensors()) {
            if (!x.name().equals("output_norm.weight")) {
                assertArrayEquals(bytes(plain, pf, x.name()), bytes(d, df, x.name()), x.name() + " is shared");
                assertArrayEquals(bytes(t, tf, x.name()), bytes(d, df, x.name()), x.name() + " is the target's");
            }
        }
        for (String name : List.of("output_norm.weight")) {
            for (Path p : List.of(t, d)) {
                GgufFile f = GgufReader.read(p);
                for (float v : GgufReader.readTensorFloats(p, f, f.tensor(name).orElseThrow())) {
                    assertEquals(3f, v, name + " carries the logit scale");
                }
            }
        }
        float[] base = floats(plain, pf, "blk.2.ffn_down.weight");
        float[] scaled = floats(t, tf, "blk.2.ffn_down.weight");
        for (int i = 0; i < base.length; i++) {
            assertEquals(0.25f * base[i], scaled[i], 0.01f * Math.abs(base[i]) + 1e-3f, "element " + i);
        }
        assertArrayEquals(bytes(plain, pf, "blk.2.ffn_up.weight"), bytes(t, tf, "blk.2.ffn_up.weight"),
                "only the residual outputs are scaled");
        assertArrayEquals(bytes(plain, pf, "blk.0.attn_output.weight"), bytes(t, tf, "blk.0.attn_output.weight"),
                "the shared blocks are not scaled");
    }

    @Test
    void badShapesAreRefused() {
        Path t = dir.resolve("t.gguf");
        Path d = dir.resolve("d.gguf");
        assertThrows(IllegalArgumentException.class, () -> DraftPair.write(BASE, 4, 0.5f, 1f, t, d));
        assertThrows(IllegalArgumentException.class, () -> DraftPair.write(BASE, 0, 0.5f, 1f, t, d));
        assertThrows(IllegalArgumentException.class, () -> DraftPair.write(BASE, 1, 1.5f, 1f, t, d));
        assertThrows(IllegalArgumentException.class, () -> DraftPair.write(BASE, 1, 0.5f, 0f, t, d));
    }

    /** With the upper blocks scaled to nothing the target computes the draft's logits: the peer accepts its drafts. */
    @Test
    void peerAcceptsTheDraftsOfAPairWithoutUpperBlocks() throws IOException {
        Path t = dir.resolve("t0.gguf");
        Path d = dir.resolve("d0.gguf");
        DraftPair.write(BASE.withType(GgmlType.F32), 2, 0f, 4f, t, d);
        ObjectMapper json = new ObjectMapper();
        try (PeerServer s = PeerServer.start(t, List.of("-c", "1024", "-np", "1", "-t", "2", "-md", d.toString(),
                "--spec-type", "draft-simple", "--spec-draft-n-max", "4", "--spec-draft-p-min", "0"))) {
            PeerServer.Response r = s.post("/completion", json.writeValueAsString(Map.of("prompt",
                    "The summary of the report is", "n_predict", 48, "temperature", 0, "ignore_eos", true)));
            assertEquals(200, r.status(), r.body());
            JsonNode timings = json.readTree(r.body()).get("timings");
            int drafted = timings.get("draft_n").asInt();
            int accepted = timings.get("draft_n_accepted").asInt();
            assertTrue(drafted >= 24, "the draft proposes most tokens: " + timings);
            assertTrue(accepted >= 0.9 * drafted, "the target agrees with its draft: " + timings);
        }
    }

    private static byte[] bytes(Path p, GgufFile f, String name) throws IOException {
        return GgufReader.readTensorBytes(p, f, f.tensor(name).orElseThrow());
    }

    private static float[] floats(Path p, GgufFile f, String name) throws IOException {
        return GgufReader.readTensorFloats(p, f, f.tensor(name).orElseThrow());
    }
}
