package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.model.TestModels;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and malformed bodies on every POST endpoint of a server with every optional endpoint on: each
 * gets an answer below 500 (501 for a switched-off feature aside), an error is OpenAI's shape, and the
 * server still generates afterwards. The seed is fixed, so a failure repeats.
 */
class RandomRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ENDPOINTS = List.of("/v1/chat/completions", "/v1/completions", "/completion",
            "/tokenize", "/detokenize", "/infill", "/v1/embeddings", "/v1/rerank", "/slots/0?action=save",
            "/slots/1?action=restore", "/lora-adapters", "/apply-template");
    private static final List<String> KEYS = List.of("messages", "prompt", "input", "content", "tokens", "model",
            "max_tokens", "n_predict", "temperature", "stream", "tools", "tool_choice", "response_format", "n",
            "logprobs", "top_logprobs", "stop", "logit_bias", "seed", "documents", "query", "top_n", "role",
            "image_url", "url", "input_prefix", "input_suffix", "input_extra", "grammar", "json_schema", "samplers",
            "id_slot", "lora", "n_probs", "id", "scale", "filename", "type", "text", "stream_options");
    private static final List<Object> LEAVES = List.of(true, false, 0, -1, 1, Integer.MAX_VALUE, Long.MIN_VALUE,
            1.5, 1e308, -0.0, "", "x", "\u0000", "user", "assistant", "tool", "system", "a".repeat(3000),
            "data:image/png;base64,AAAA", "<tool_call>", "{\"a\":", "[[[", List.of(), Map.of());

    @TempDir
    Path slots;

    private static Object value(Random r, int depth) {
        double p = r.nextDouble();
        if (depth < 3 && p < 0.25) {
            List<Object> list = new ArrayList<>();
            for (int i = r.nextInt(4); i > 0; i--) {
                list.add(value(r, depth + 1));
            }
            return list;
        }
        if (depth < 3 && p < 0.5) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = r.nextInt(6); i > 0; i--) {
                map.put(KEYS.get(r.nextInt(KEYS.size())), value(r, depth + 1));
            }
            return map;
        }
        if (p < 0.55) {
            return null;
        }
        return LEAVES.get(r.nextInt(LEAVES.size()));
    }

    private static String body(Random r) throws Exception {
        double p = r.nextDouble();
        if (p < 0.05) {
            return "{\"broken";
        }
        Object v = value(r, 0);
        if (p < 0.7) {
            // mostly plausible requests with random parts, so that validation deeper in is reached
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("messages", List.of(mapOf("role", List.of("user", "system", "tool", "assistant", "x")
                    .get(r.nextInt(5)), "content", value(r, 1))));
            m.put("prompt", value(r, 1));
            m.put("input", value(r, 1));
            m.put("max_tokens", 4);
            m.put("n_predict", 4);
            if (v instanceof Map<?, ?> extra) {
                extra.forEach((k, x) -> m.put((String) k, x));
            }
            return JSON.writeValueAsString(m);
        }
        return JSON.writeValueAsString(v);
    }

    private static Map<String, Object> mapOf(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    @Test
    void randomBodiesGetClientErrorsAndTheServerGoesOn() throws Exception {
        Files.createDirectories(slots);
        Random random = new Random(20261125);
        try (RunningBox box = new RunningBox("-m", TestModels.llama().toString(), "--mmproj",
                TestModels.projector().toString(), "-c", "2048", "-np", "2", "--embeddings", "--infill", "--slots",
                "--slot-save-path", slots.toString(), "--metrics")) {
            int errors = 0;
            for (int i = 0; i < 300; i++) {
                String endpoint = ENDPOINTS.get(random.nextInt(ENDPOINTS.size()));
                String body = body(random);
                HttpResponse<String> r = box.post(endpoint, body);
                int status = r.statusCode();
                assertTrue(status < 500 || status == 501, status + " for " + endpoint + " " + body + " -> " + r.body());
                if (status >= 400) {
                    errors++;
                    var error = JSON.readTree(r.body()).get("error");
                    assertTrue(error != null && error.has("code") && error.has("message") && error.has("type"),
                            endpoint + " " + body + " -> " + r.body());
                }
            }
            assertTrue(errors > 100, "most random bodies are refused: " + errors);
            HttpResponse<String> after = box.post("/completion", "{\"prompt\":\"hello\",\"n_predict\":4}");
            assertEquals(200, after.statusCode(), after.body());
            assertEquals(4, JSON.readTree(after.body()).get("tokens_predicted").asInt());
        }
    }
}
