package io.llamabox.cli.launch;

import static io.llamabox.cli.launch.EmbeddingsMatchPeerTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llamabox.testkit.model.TestModels;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /metrics}: Prometheus text with every {@code llamabox:*} metric, moving with the work done. */
class MetricsTest {
    /** Every metric of the spec and the type it is exposed with. */
    private static final Map<String, String> SPEC = new LinkedHashMap<>();

    static {
        for (String c : new String[] {"image_process_seconds_total", "image_generate_seconds_total",
                "image_generate_steps_total", "prompt_tokens_total", "prompt_seconds_total", "tokens_predicted_total",
                "tokens_predicted_seconds_total", "tokens_drafted_total", "tokens_drafted_accepted_total",
                "n_decode_total"}) {
            SPEC.put("llamabox:" + c, "counter");
        }
        // an average, which may fall: a gauge (see MetricsService)
        SPEC.put("llamabox:n_busy_slots_per_decode", "gauge");
        for (String g : new String[] {"image_steps_seconds", "prompt_tokens_seconds", "predicted_tokens_seconds",
                "kv_cache_usage_ratio", "kv_cache_tokens", "requests_processing", "requests_deferred"}) {
            SPEC.put("llamabox:" + g, "gauge");
        }
    }

    @Test
    void everyMetricIsExposedAndCountersMoveByTheWorkDone() throws Exception {
        try (RunningBox box = new RunningBox("-m", TestModels.llama().toString(), "-c", "1024", "-np", "2",
                "--metrics")) {
            Map<String, Double> before = scrape(box);
            assertEquals(SPEC.keySet(), before.keySet());
            for (String image : new String[] {"image_process_seconds_total", "image_generate_seconds_total",
                    "image_generate_steps_total", "image_steps_seconds"}) {
                assertEquals(0.0, before.get("llamabox:" + image));
            }
            JsonNode c = ok(box.post("/completion", "{\"prompt\":\"Once upon a time\",\"n_predict\":7,"
                    + "\"temperature\":0,\"ignore_eos\":true,\"cache_prompt\":false}"));
            int predicted = c.get("tokens_predicted").asInt();
            int evaluated = c.get("tokens_evaluated").asInt();
            assertEquals(7, predicted);
            Map<String, Double> after = scrape(box);
            assertEquals(predicted, after.get("llamabox:tokens_predicted_total")
                    - before.get("llamabox:tokens_predicted_total"), 1e-9);
            assertEquals(evaluated, after.get("llamabox:prompt_tokens_total")
                    - before.get("llamabox:prompt_tokens_total"), 1e-9);
            // the prompt's decode gives the first token, each further token but the last one more decode
            assertEquals(predicted, after.get("llamabox:n_decode_total") - before.get("llamabox:n_decode_total"), 1e-9);
            assertTrue(after.get("llamabox:prompt_seconds_total") > before.get("llamabox:prompt_seconds_total"));
            assertTrue(after.get("llamabox:tokens_predicted_seconds_total")
                    > before.get("llamabox:tokens_predicted_seconds_total"));
            assertTrue(after.get("llamabox:prompt_tokens_seconds") > 0);
            assertTrue(after.get("llamabox:predicted_tokens_seconds") > 0);
            assertEquals(1.0, after.get("llamabox:n_busy_slots_per_decode"), 1e-9, "one request at a time");
            assertEquals(0.0, after.get("llamabox:requests_processing"));
            assertEquals(0.0, after.get("llamabox:requests_deferred"));
        }
    }

    @Test
    void withoutTheFlagTheEndpointAnswers501() throws Exception {
        try (RunningBox box = new RunningBox("-m", TestModels.llama().toString(), "-c", "256")) {
            HttpResponse<String> r = box.get("/metrics");
            assertEquals(501, r.statusCode(), r.body());
            assertTrue(r.body().contains("--metrics"), r.body());
        }
    }

    /** Parses the text format: each sample must follow its own {@code # HELP} and {@code # TYPE} lines. */
    private static Map<String, Double> scrape(RunningBox box) throws Exception {
        HttpResponse<String> r = box.get("/metrics");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                r.headers().toString());
        Map<String, Double> values = new LinkedHashMap<>();
        String help = null;
        String type = null;
        for (String line : r.body().split("\n")) {
            if (line.startsWith("# HELP ")) {
                help = line.substring(7).split(" ", 2)[0];
                assertTrue(line.length() > 7 + help.length() + 1, "a help text: " + line);
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                assertEquals(help, parts[0], "TYPE follows HELP of the same metric");
                type = parts[1];
            } else if (!line.isBlank()) {
                String[] parts = line.split(" ");
                assertEquals(2, parts.length, "a sample without labels: " + line);
                assertEquals(help, parts[0], "the sample follows its HELP and TYPE: " + line);
                assertEquals(SPEC.get(parts[0]), type, parts[0]);
                values.put(parts[0], Double.parseDouble(parts[1]));
            }
        }
        return values;
    }
}
