package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.model.TestModels;
import io.llamabox.testkit.peer.PeerServer;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged slot files are refused with a 400 naming the fault, the slot is left empty, and every slot
 * answers afterwards exactly as before: a file one byte short used to abort the JVM inside
 * llama_state_seq_load_file, and damaged positions used to enter the cache for good.
 */
class DamagedSlotFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] PROMPTS = {"The keeper of the slot files wrote", "Another slot keeps a story about"};

    @TempDir
    Path dir;

    @Test
    void truncatedDamagedAndOutOfRangeSlotFilesAreRefusedAndNoAnswerChanges() throws Exception {
        try (RunningBox box = new RunningBox("-m", TestModels.llama().toString(), "-c", "512", "-np", "2", "--slots",
                "--slot-save-path", dir.toString())) {
            List<String> before = answers(box);
            JsonNode saved = JSON.readTree(box.post("/slots/0?action=save", "{\"filename\":\"good.bin\"}").body());
            assertTrue(Files.exists(dir.resolve("good.bin.crc32c")), "our files carry a checksum");
            byte[] good = Files.readAllBytes(dir.resolve("good.bin"));
            Layout layout = Layout.of(good);

            Map<String, byte[]> damaged = new LinkedHashMap<>();
            for (long cut : new long[] {1, 4, 8, 11, 12, 13, layout.meta - 1, layout.meta + 3, layout.meta + 20,
                    layout.data + 9, good.length / 2, good.length - 5, good.length - 1}) {
                damaged.put("cut-" + cut, java.util.Arrays.copyOf(good, (int) cut));
            }
            damaged.put("magic", set(good, 0, 0x12345678));
            damaged.put("version", set(good, 4, 3));
            damaged.put("count-huge", set(good, 8, -1));
            damaged.put("count-over-slot", set(good, 8, 257));
            damaged.put("count-more", set(good, 8, layout.tokens + 1));
            damaged.put("id-beyond-vocabulary", set(good, 12, 1 << 20));
            damaged.put("id-negative", set(good, 16, -7));
            damaged.put("streams-zero", set(good, layout.state, 0));
            damaged.put("cells-more-than-tokens", set(good, layout.cells, layout.tokens + 1));
            damaged.put("position-negative", set(good, layout.meta, -3));
            damaged.put("position-beyond", set(good, layout.meta, 100_000));
            damaged.put("position-repeated", set(good, layout.meta + 12, 0));
            damaged.put("two-sequences", set(good, layout.meta + 4, 2));
            damaged.put("layers", set(good, layout.data + 4, 99));
            damaged.put("key-row", set(good, layout.data + 12, 7));
            damaged.put("trailing-byte", java.util.Arrays.copyOf(good, good.length + 1));
            for (var e : damaged.entrySet()) {
                Files.write(dir.resolve(e.getKey()), e.getValue());
                assertRefused(box, e.getKey());
            }
            // bytes changed anywhere, with the checksum saved beside the good file: even inside the keys and values
            byte[] sidecar = Files.readAllBytes(dir.resolve("good.bin.crc32c"));
            for (int at : new int[] {0, 9, 12, layout.state, layout.meta + 1, layout.data + 2, good.length / 2,
                    good.length - 1}) {
                String name = "flip-" + at;
                byte[] b = good.clone();
                b[at] ^= 0x10;
                Files.write(dir.resolve(name), b);
                Files.write(dir.resolve(name + ".crc32c"), sidecar);
                HttpResponse<String> r = assertRefused(box, name);
                assertTrue(r.body().contains("damaged"), r.body());
            }
            assertEquals(before, answers(box), "every slot answers as before after the refused restores");

            JsonNode restored = JSON.readTree(box.post("/slots/0?action=restore", "{\"filename\":\"good.bin\"}").body());
            assertEquals(saved.get("n_saved").asInt(), restored.get("n_restored").asInt(), restored.toString());
            Files.copy(dir.resolve("good.bin"), dir.resolve("foreign.bin"));
            JsonNode foreign = JSON.readTree(box.post("/slots/0?action=restore", "{\"filename\":\"foreign.bin\"}").body());
            assertEquals(saved.get("n_saved").asInt(), foreign.get("n_restored").asInt(),
                    "a file without our checksum (llama-server's) is restored after the structural checks");
            assertEquals(before, answers(box));

            // llama-server writes its own token layout: refused by name, and nothing changes
            Path peerDir = Files.createDirectories(dir.resolve("peer"));
            try (PeerServer peer = PeerServer.start(TestModels.llama(), List.of("-c", "512", "-np", "2",
                    "--slot-save-path", peerDir.toString()))) {
                assertEquals(200, peer.post("/completion", "{\"prompt\":\"" + PROMPTS[0]
                        + "\",\"n_predict\":4,\"id_slot\":0}").status());
                assertEquals(200, peer.post("/slots/0?action=save", "{\"filename\":\"peer.bin\"}").status());
            }
            Files.copy(peerDir.resolve("peer.bin"), dir.resolve("peer.bin"));
            HttpResponse<String> r = assertRefused(box, "peer.bin");
            assertTrue(r.body().contains("llama-server's own layout"), r.body());
            assertEquals(before, answers(box));
        }
    }

    private static HttpResponse<String> assertRefused(RunningBox box, String name) throws Exception {
        HttpResponse<String> r = box.post("/slots/0?action=restore", "{\"filename\":\"" + name + "\"}");
        assertEquals(400, r.statusCode(), name + " -> " + r.body());
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertTrue(error.get("message").asText().contains("cannot restore " + name + ": "), r.body());
        JsonNode slot = JSON.readTree(box.get("/slots").body()).get(0);
        assertEquals(0, slot.get("n_cached_tokens").asInt(), name + ": the slot is left empty: " + slot);
        return r;
    }

    private static List<String> answers(RunningBox box) throws Exception {
        List<String> out = new ArrayList<>();
        for (int slot = 0; slot < PROMPTS.length; slot++) {
            String req = "{\"prompt\":\"" + PROMPTS[slot] + "\",\"n_predict\":12,\"temperature\":0,\"id_slot\":" + slot + "}";
            HttpResponse<String> r = box.post("/completion", req);
            assertEquals(200, r.statusCode(), r.body());
            out.add(JSON.readTree(r.body()).get("content").asText());
        }
        return out;
    }

    private static byte[] set(byte[] file, long at, int value) {
        byte[] b = file.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt((int) at, value);
        return b;
    }

    /** Offsets in a one-stream-holding state file: token count, state, the cell count, cells, layer data. */
    private record Layout(int tokens, int state, int cells, int meta, int data) {
        static Layout of(byte[] file) {
            ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
            int tokens = b.getInt(8);
            int state = 12 + 4 * tokens;
            int streams = b.getInt(state);
            int cells = state + 4;
            for (int s = 0; s < streams && b.getInt(cells) == 0; s++) {
                cells += 4;
            }
            int n = b.getInt(cells);
            assertTrue(n > 0 && n <= tokens, "cells " + n);
            return new Layout(tokens, state, cells, cells + 4, cells + 4 + 12 * n);
        }
    }
}
