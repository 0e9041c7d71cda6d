package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llamabox.spi.SlotInfo;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ServerInfoEndpointsTest {

    @Test
    void healthAnswers503LoadingModelUntilTheModelArrivesThenOk() throws Exception {
        CompletableFuture<LoadedModel> model = new CompletableFuture<>();
        try (TestServer s = TestServer.loading(model)) {
            HttpResponse<String> loading = s.get("/health");
            assertEquals(503, loading.statusCode());
            assertEquals(TestServer.JSON.readTree(
                    "{\"error\":{\"code\":503,\"message\":\"Loading model\",\"type\":\"unavailable_error\"}}"),
                    TestServer.json(loading));
            assertEquals(503, s.get("/v1/models").statusCode());
            assertEquals(503, s.post("/v1/chat/completions", TestServer.chat("")).statusCode());

            model.complete(new LoadedModel(s.engine, s.renderer));

            HttpResponse<String> ready = s.get("/health");
            assertEquals(200, ready.statusCode());
            assertEquals(TestServer.JSON.readTree("{\"status\":\"ok\"}"), TestServer.json(ready));
            assertTrue(ready.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        }
    }

    @Test
    void aModelThatFailedToLoadKeepsTheServerUnavailable() throws Exception {
        try (TestServer s = TestServer.loading(CompletableFuture.failedFuture(new IllegalStateException("no file")))) {
            HttpResponse<String> r = s.get("/health");
            assertEquals(503, r.statusCode());
            assertEquals("Model failed to load: no file", TestServer.json(r).at("/error/message").asText());
        }
    }

    @Test
    void modelsListsTheAliasInOpenAiListShape() throws Exception {
        try (TestServer s = TestServer.start(b -> b.alias(java.util.Optional.of("my-model")))) {
            JsonNode body = TestServer.json(s.get("/v1/models"));
            assertEquals("list", body.get("object").asText());
            assertEquals(1, body.get("data").size());
            JsonNode m = body.get("data").get(0);
            assertEquals("my-model", m.get("id").asText());
            assertEquals("model", m.get("object").asText());
            assertEquals("llama-box", m.get("owned_by").asText());
            assertTrue(m.get("created").asLong() > 1_600_000_000L);
            assertEquals(ScriptedEngine.VOCAB, m.at("/meta/n_vocab").asInt());
            assertEquals(ScriptedEngine.PER_SLOT_CONTEXT, m.at("/meta/n_ctx_per_slot").asInt());
        }
    }

    @Test
    void modelsFallsBackToTheModelIdWithoutAlias() throws Exception {
        try (TestServer s = TestServer.start()) {
            assertEquals("test-model.gguf", TestServer.json(s.get("/v1/models")).at("/data/0/id").asText());
        }
    }

    @Test
    void propsReportsTemplateSlotsAndEachSlotsContext() throws Exception {
        try (TestServer s = TestServer.start(b -> b.nPredict(100))) {
            JsonNode body = TestServer.json(s.get("/props"));
            assertEquals("{% chatml %}", body.get("chat_template").asText());
            assertEquals(2, body.get("total_slots").asInt());
            assertEquals(ScriptedEngine.PER_SLOT_CONTEXT, body.at("/default_generation_settings/n_ctx").asInt());
            assertEquals(ScriptedEngine.PER_SLOT_CONTEXT * 2, body.get("n_ctx").asInt());
            JsonNode params = body.at("/default_generation_settings/params");
            assertEquals(100, params.get("n_predict").asInt());
            assertEquals(40, params.get("top_k").asInt());
            assertEquals(0.8, params.get("temperature").asDouble(), 1e-6);
            assertEquals(List.of("penalties", "dry", "top_k", "typ_p", "top_p", "min_p", "xtc", "temperature"),
                    TestServer.JSON.convertValue(params.get("samplers"), List.class));
        }
    }

    @Test
    void slotsAnswers501NamingTheFlagWhenSwitchedOff() throws Exception {
        try (TestServer s = TestServer.start()) {
            HttpResponse<String> r = s.get("/slots");
            assertEquals(501, r.statusCode());
            assertEquals("not_supported_error", TestServer.json(r).at("/error/type").asText());
            assertTrue(TestServer.json(r).at("/error/message").asText().contains("--slots"));
        }
    }

    @Test
    void otherSwitchedOffEndpointsAnswer501() throws Exception {
        try (TestServer s = TestServer.start()) {
            assertEquals(501, s.get("/metrics").statusCode());
            assertEquals(501, s.post("/v1/embeddings", "{}").statusCode());
            assertEquals(501, s.post("/v1/rerank", "{}").statusCode());
            assertEquals(501, s.post("/infill", "{}").statusCode());
            assertEquals(501, s.post("/v1/images/generations", "{}").statusCode());
        }
    }

    @Test
    void slotsListsEachSlotsStateAndFailsOnDemandWhenNoneIsIdle() throws Exception {
        try (TestServer s = TestServer.start(b -> b.endpoints(new EndpointFlags(false, false, false, false, false,
                true)))) {
            JsonNode slots = TestServer.json(s.get("/slots"));
            assertEquals(2, slots.size());
            assertEquals(0, slots.get(0).get("state").asInt());
            assertEquals(-1, slots.get(0).get("id_task").asInt());
            assertEquals(1, slots.get(1).get("state").asInt());
            assertEquals(7, slots.get(1).get("id_task").asInt());
            assertEquals(ScriptedEngine.PER_SLOT_CONTEXT, slots.get(1).get("n_ctx").asInt());
            assertEquals(200, s.get("/slots?fail_on_no_slot=1").statusCode());

            s.engine.slots = List.of(new SlotInfo(0, 3, true, "a", 256, 0, 1, 1, ""),
                    new SlotInfo(1, 4, true, "b", 256, 0, 1, 1, ""));
            HttpResponse<String> busy = s.get("/slots?fail_on_no_slot=1");
            assertEquals(503, busy.statusCode());
            assertEquals("unavailable_error", TestServer.json(busy).at("/error/type").asText());
            assertEquals(200, s.get("/slots").statusCode());
        }
    }

    @Test
    void unknownPathIs404InOpenAiErrorShape() throws Exception {
        try (TestServer s = TestServer.start()) {
            HttpResponse<String> r = s.get("/v1/nothing-here");
            assertEquals(404, r.statusCode());
            JsonNode error = TestServer.json(r).get("error");
            assertEquals(404, error.get("code").asInt());
            assertEquals("not_found_error", error.get("type").asText());
            assertTrue(error.get("message").asText().contains("/v1/nothing-here"));
            assertEquals(404, s.get("/v1/chat/completions").statusCode());
        }
    }
}
