package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.model.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /slots/:id?action=save|restore|erase keeps a slot's prompt cache in files inside --slot-save-path. */
class SlotFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aSavedSlotIsRestoredAfterAnEraseAndServesItsCachedPrompt() throws Exception {
        try (RunningBox box = new RunningBox("-m", TestModels.llama().toString(), "-c", "512", "-np", "1", "--slots",
                "--slot-save-path", dir.toString())) {
            String req = "{\"prompt\":\"A long prompt that is worth keeping in a file\",\"n_predict\":4,\"temperature\":0}";
            JsonNode first = JSON.readTree(box.post("/completion", req).body());
            JsonNode saved = JSON.readTree(box.post("/slots/0?action=save", "{\"filename\":\"kept.bin\"}").body());
            assertEquals(0, saved.get("id_slot").asInt());
            int n = saved.get("n_saved").asInt();
            assertTrue(n >= first.get("tokens_evaluated").asInt(), saved.toString());
            assertTrue(Files.size(dir.resolve("kept.bin")) > 0);
            assertEquals(saved.get("n_written").asLong(), Files.size(dir.resolve("kept.bin")));

            JsonNode erased = JSON.readTree(box.post("/slots/0?action=erase", "{}").body());
            assertEquals(n, erased.get("n_erased").asInt());
            JsonNode cold = JSON.readTree(box.post("/completion", req).body());
            assertEquals(0, cold.get("tokens_cached").asInt(), "nothing cached after the erase");
            box.post("/slots/0?action=erase", "{}");

            JsonNode restored = JSON.readTree(box.post("/slots/0?action=restore", "{\"filename\":\"kept.bin\"}").body());
            assertEquals(n, restored.get("n_restored").asInt(), restored.toString());
            JsonNode warm = JSON.readTree(box.post("/completion", req).body());
            assertTrue(warm.get("tokens_cached").asInt() > 0, "the restored cache is used: " + warm);
            assertEquals(first.get("content").asText(), warm.get("content").asText());
        }
    }

    @Test
    void fileNamesThatLeaveTheSaveDirectoryAreRefused() throws Exception {
        try (RunningBox box = new RunningBox("-m", TestModels.llama().toString(), "-c", "256", "-np", "1", "--slots",
                "--slot-save-path", dir.toString())) {
            for (String name : new String[] {"../escape.bin", "/etc/passwd", "a/b.bin", ".hidden", "", "x\\u0000y",
                    "\\ud800", "kept.bin.crc32c"}) {
                var res = box.post("/slots/0?action=save", "{\"filename\":\"" + name + "\"}");
                assertEquals(400, res.statusCode(), name + " -> " + res.body());
            }
            assertEquals(400, box.post("/slots/0?action=fly", "{}").statusCode());
            assertEquals(400, box.post("/slots/7?action=erase", "{}").statusCode());
            assertEquals(400, box.post("/slots/0?action=restore", "{\"filename\":\"missing.bin\"}").statusCode());
            try (var files = Files.list(dir)) {
                assertEquals(0, files.count(), "nothing was written");
            }
        }
    }
}
