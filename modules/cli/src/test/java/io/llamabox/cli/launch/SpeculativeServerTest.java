package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.model.TestModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * -md, --draft-*, --lookup-ngram-min, -lcs and -lcd reach the scheduler: same greedy text, the drafted
 * counters move in /metrics, the dynamic lookup cache is written, and an unusable cache file stops the start.
 */
class SpeculativeServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUEST = "{\"prompt\":\"Once upon a time\",\"n_predict\":32,\"temperature\":0}";

    @Test
    void aDraftModelLeavesGreedyOutputUnchangedAndIsCounted() throws Exception {
        String model = TestModels.llama().toString();
        String plain;
        try (RunningBox box = new RunningBox("-m", model, "-c", "512")) {
            plain = JSON.readTree(box.post("/completion", REQUEST).body()).get("content").asText();
        }
        try (RunningBox box = new RunningBox("-m", model, "-c", "512", "--metrics", "-md", model, "--draft-max", "4",
                "--draft-min", "1", "--draft-p-min", "0")) {
            assertEquals(plain, JSON.readTree(box.post("/completion", REQUEST).body()).get("content").asText());
            String metrics = box.get("/metrics").body();
            double drafted = value(metrics, "llamabox:tokens_drafted_total");
            double accepted = value(metrics, "llamabox:tokens_drafted_accepted_total");
            assertTrue(drafted > 0, metrics);
            assertEquals(drafted, accepted, "a draft equal to the target is always accepted");
        }
    }

    @Test
    void lookupCacheFilesAreReadAndTheDynamicOneIsWritten(@TempDir Path dir) throws Exception {
        String model = TestModels.llama().toString();
        String plain;
        try (RunningBox box = new RunningBox("-m", model, "-c", "512")) {
            plain = JSON.readTree(box.post("/completion", REQUEST).body()).get("content").asText();
        }
        // a static cache in llama.cpp's layout: after the bigram (1, 2), token 3 was seen 5 times
        Path staticFile = dir.resolve("static.lcs");
        Files.write(staticFile, ints(1, 2, -1, -1, 1, 3, 5));
        Path dynamicFile = dir.resolve("dynamic.lcd");
        try (RunningBox box = new RunningBox("-m", model, "-c", "512", "--metrics", "--lookup-ngram-min", "1",
                "--draft-max", "4", "--draft-min", "1", "-lcs", staticFile.toString(), "-lcd", dynamicFile.toString())) {
            for (int i = 0; i < 2; i++) {
                assertEquals(plain, JSON.readTree(box.post("/completion", REQUEST).body()).get("content").asText());
            }
        }
        assertTrue(Files.size(dynamicFile) > 0, "the dynamic cache is saved at shutdown");
        try (RunningBox box = new RunningBox("-m", model, "-c", "512", "--metrics", "--lookup-ngram-min", "1",
                "--draft-max", "4", "--draft-min", "1", "-lcd", dynamicFile.toString())) {
            assertEquals(plain, JSON.readTree(box.post("/completion", REQUEST).body()).get("content").asText());
            String metrics = box.get("/metrics").body();
            assertTrue(value(metrics, "llamabox:tokens_drafted_accepted_total") > 0,
                    "what the earlier server produced is drafted again: " + metrics);
        }

        Path broken = dir.resolve("broken.lcs");
        Files.write(broken, ints(1, 2, -1, -1, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RunningBox("-m", model,
                "-c", "512", "--lookup-ngram-min", "1", "-lcs", broken.toString()).close());
        assertTrue(e.getMessage().contains("not a lookup cache"), e.getMessage());
    }

    private static byte[] ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    private static double value(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError(name + " not in\n" + metrics);
    }
}
