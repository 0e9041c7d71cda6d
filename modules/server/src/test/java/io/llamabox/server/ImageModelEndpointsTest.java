package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A server on an image model: what the other endpoints say about it, and what the image endpoint says on
 * a text model.
 */
class ImageModelEndpointsTest {
    private static final EndpointFlags EVERYTHING_ON = new EndpointFlags(true, true, true, true, true, true);

    @Test
    void textEndpointsOnAnImageModelAre400sSayingItIsAnImageModel() throws Exception {
        try (TestServer s = TestServer.images(new ScriptedImageEngine(), b -> b.endpoints(EVERYTHING_ON))) {
            List<HttpResponse<String>> answers = List.of(
                    s.post("/v1/chat/completions", TestServer.chat("")),
                    s.post("/v1/chat/completions", TestServer.chat(",\"stream\":true")),
                    s.post("/v1/completions", "{\"prompt\":\"Hi\"}"),
                    s.post("/completion", "{\"prompt\":\"Hi\"}"),
                    s.post("/tokenize", "{\"content\":\"Hi\"}"),
                    s.post("/detokenize", "{\"tokens\":[72]}"),
                    s.post("/v1/embeddings", "{\"input\":\"Hi\"}"),
                    s.post("/v1/rerank", "{\"query\":\"q\",\"documents\":[\"d\"]}"),
                    s.post("/infill", "{\"input_prefix\":\"a\",\"input_suffix\":\"b\"}"),
                    s.get("/slots"));
            for (HttpResponse<String> r : answers) {
                String what = r.request().method() + " " + r.request().uri().getPath();
                assertEquals(400, r.statusCode(), what + ": " + r.body());
                JsonNode error = TestServer.json(r).get("error");
                assertEquals(400, error.get("code").asInt(), what);
                assertEquals("invalid_request_error", error.get("type").asText(), what);
                assertTrue(error.get("message").asText().contains("sd-test.gguf is an image model"),
                        what + ": " + error);
            }
        }
    }

    @Test
    void healthIsOkOnAnImageModel() throws Exception {
        try (TestServer s = TestServer.images(new ScriptedImageEngine(), b -> b)) {
            HttpResponse<String> r = s.get("/health");
            assertEquals(200, r.statusCode());
            assertEquals("ok", TestServer.json(r).get("status").asText());
        }
    }

    @Test
    void imagesOnATextModelStartedWithImagesIsA400SayingItIsNoImageModel() throws Exception {
        try (TestServer s = TestServer.start(b -> b.endpoints(new EndpointFlags(false, false, false, false, true,
                false)))) {
            HttpResponse<String> r = s.post("/v1/images/generations", "{\"prompt\":\"A lovely cat\"}");
            assertEquals(400, r.statusCode(), r.body());
            assertEquals("invalid_request_error", TestServer.json(r).at("/error/type").asText());
            assertTrue(TestServer.json(r).at("/error/message").asText().contains("test-model.gguf is not an image model"),
                    r.body());
        }
    }

    @Test
    void imagesWithoutTheImagesFlagAre501NamingIt() throws Exception {
        try (TestServer s = TestServer.start()) {
            HttpResponse<String> r = s.post("/v1/images/generations", "{\"prompt\":\"A lovely cat\"}");
            assertEquals(501, r.statusCode());
            assertEquals("not_supported_error", TestServer.json(r).at("/error/type").asText());
            assertTrue(TestServer.json(r).at("/error/message").asText().contains("--images"), r.body());
        }
    }

    @Test
    void modelsDescribesTheImageModel() throws Exception {
        try (TestServer s = TestServer.images(new ScriptedImageEngine(),
                b -> b.imageLimits(new ServerConfig.ImageLimits(2, 768, 1024)))) {
            JsonNode body = TestServer.json(s.get("/v1/models"));
            assertEquals("list", body.get("object").asText());
            JsonNode m = body.get("data").get(0);
            assertEquals("sd-test.gguf", m.get("id").asText());
            assertEquals("model", m.get("object").asText());
            assertEquals("llama-box", m.get("owned_by").asText());
            JsonNode meta = m.get("meta");
            assertEquals("SD1", meta.get("family").asText());
            assertEquals(2, meta.get("max_batch").asInt());
            assertEquals(768, meta.get("max_width").asInt());
            assertEquals(1024, meta.get("max_height").asInt());
            assertDefaults(meta.get("default_generation_settings"));
        }
        try (TestServer s = TestServer.images(new ScriptedImageEngine(), b -> b.alias(Optional.of("sd")))) {
            assertEquals("sd", TestServer.json(s.get("/v1/models")).at("/data/0/id").asText());
        }
    }

    @Test
    void propsDescribesTheImageModel() throws Exception {
        try (TestServer s = TestServer.images(new ScriptedImageEngine(), b -> b)) {
            JsonNode body = TestServer.json(s.get("/props"));
            assertEquals("SD1", body.get("model_family").asText());
            assertEquals("/models/sd-test.gguf", body.get("model_path").asText());
            assertEquals("sd-test.gguf", body.get("model_alias").asText());
            assertEquals(4, body.get("max_batch").asInt());
            assertEquals(1024, body.get("max_width").asInt());
            assertEquals(1024, body.get("max_height").asInt());
            assertEquals("llama-box/test", body.get("build_info").asText());
            assertDefaults(body.get("default_generation_settings"));
        }
    }

    private static void assertDefaults(JsonNode settings) {
        assertEquals("512x512", settings.get("size").asText());
        assertEquals(1, settings.get("n").asInt());
        assertEquals(ScriptedImageEngine.DEFAULTS.sampleMethod(), settings.get("sample_method").asText());
        assertEquals(ScriptedImageEngine.DEFAULTS.schedule(), settings.get("schedule_method").asText());
        assertEquals(ScriptedImageEngine.DEFAULTS.steps(), settings.get("sampling_steps").asInt());
        assertEquals(ScriptedImageEngine.DEFAULTS.cfgScale(), settings.get("cfg_scale").asDouble());
        assertEquals(ScriptedImageEngine.DEFAULTS.guidance(), settings.get("guidance").asDouble());
    }

    @Test
    void metricsCarryTheImageEnginesTotals() throws Exception {
        try (TestServer s = TestServer.images(new ScriptedImageEngine(), b -> b.endpoints(EVERYTHING_ON))) {
            HttpResponse<String> r = s.get("/metrics");
            assertEquals(200, r.statusCode(), r.body());
            String text = r.body();
            assertMetric(text, "llamabox:image_process_seconds_total", "counter", 12.5);
            assertMetric(text, "llamabox:image_generate_seconds_total", "counter", 10.0);
            assertMetric(text, "llamabox:image_generate_steps_total", "counter", 40);
            assertMetric(text, "llamabox:image_steps_seconds", "gauge", 4.0);
            assertMetric(text, "llamabox:prompt_tokens_total", "counter", 0);
        }
    }

    @Test
    void loraAdaptersListsTheImageModelsAdapters() throws Exception {
        try (TestServer s = TestServer.images(new ScriptedImageEngine(), b -> b)) {
            JsonNode adapters = TestServer.json(s.get("/lora-adapters"));
            assertEquals(2, adapters.size());
            assertEquals("/models/style.gguf", adapters.get(0).get("path").asText());
            assertEquals(0.5, adapters.get(0).get("scale").asDouble());
            assertEquals(501, s.post("/lora-adapters", "[{\"id\":0,\"scale\":1.0}]").statusCode());
        }
    }

    /** The metric's TYPE line names its kind and its sample has the value. */
    private static void assertMetric(String text, String name, String type, double value) {
        assertTrue(text.contains("# TYPE " + name + " " + type + "\n"), name + " is a " + type + ":\n" + text);
        String sample = text.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no sample of " + name + ":\n" + text));
        assertEquals(value, Double.parseDouble(sample.substring(name.length() + 1).trim()), 1e-9, sample);
    }
}
