package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.model.TestModels;
import org.junit.jupiter.api.Test;

/** -md and --draft-* reach the scheduler: same greedy text, and the drafted counters move in /metrics. */
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

    private static double value(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError(name + " not in\n" + metrics);
    }
}
