package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CompletionsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String error(HttpResponse<String> r) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("invalid_request_error", TestServer.json(r).at("/error/type").asText());
        return TestServer.json(r).at("/error/message").asText();
    }

    @Test
    void legacyCompletionHasTheTextCompletionShape() throws Exception {
        HttpResponse<String> r = server.post("/v1/completions", "{\"model\":\"m\",\"prompt\":\"Hi\"}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = TestServer.json(r);
        assertTrue(body.get("id").asText().startsWith("cmpl-"));
        assertEquals("text_completion", body.get("object").asText());
        assertEquals("m", body.get("model").asText());
        JsonNode choice = body.at("/choices/0");
        assertEquals("Hello, world!", choice.get("text").asText());
        assertEquals(0, choice.get("index").asInt());
        assertTrue(choice.get("logprobs").isNull());
        assertEquals("stop", choice.get("finish_reason").asText());
        assertEquals(TestServer.JSON.readTree("{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0}}"), body.get("usage"));
        assertEquals(4, body.at("/timings/predicted_n").asInt());
        assertArrayEquals(new int[] {ScriptedEngine.BOS, 'H', 'i'}, server.engine.lastRequest().prompt());
    }

    @Test
    void legacyStreamingSendsTextChunksThenFinishThenUsageThenDone() throws Exception {
        List<String> events = TestServer.events(server.post("/v1/completions",
                "{\"prompt\":\"Hi\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}"));
        assertEquals(7, events.size(), events.toString());
        StringBuilder text = new StringBuilder();
        for (String e : events.subList(0, 4)) {
            JsonNode c = TestServer.JSON.readTree(e);
            assertEquals("text_completion", c.get("object").asText());
            assertTrue(c.at("/choices/0/finish_reason").isNull());
            text.append(c.at("/choices/0/text").asText());
        }
        assertEquals("Hello, world!", text.toString());
        assertEquals("stop", TestServer.JSON.readTree(events.get(4)).at("/choices/0/finish_reason").asText());
        JsonNode usage = TestServer.JSON.readTree(events.get(5));
        assertEquals(0, usage.get("choices").size());
        assertEquals(7, usage.at("/usage/total_tokens").asInt());
        assertEquals("[DONE]", events.get(6));
    }

    @Test
    void legacyLogprobsListTokensOffsetsAndTopAlternatives() throws Exception {
        JsonNode lp = TestServer.json(server.post("/v1/completions", "{\"prompt\":\"Hi\",\"logprobs\":2}"))
                .at("/choices/0/logprobs");
        assertEquals(TestServer.JSON.readTree("[\"Hello\",\",\",\" world\",\"!\"]"), lp.get("tokens"));
        assertEquals(TestServer.JSON.readTree("[0,5,6,12]"), lp.get("text_offset"));
        assertEquals(-0.25, lp.at("/token_logprobs/0").asDouble(), 1e-6);
        assertEquals(TestServer.JSON.readTree("{\"H\":-0.25,\"b\":-2.0}"), lp.at("/top_logprobs/0"));
    }

    @Test
    void llamaCompletionReportsContentStopTypeAndTokenCounts() throws Exception {
        JsonNode body = TestServer.json(server.post("/completion",
                "{\"prompt\":\"Hi\",\"n_predict\":10,\"stop\":[\"!\"]}"));
        assertEquals("Hello, world", body.get("content").asText());
        assertTrue(body.get("stop").asBoolean());
        assertEquals("word", body.get("stop_type").asText());
        assertEquals("!", body.get("stopping_word").asText());
        assertEquals(3, body.get("tokens_predicted").asInt());
        assertEquals(3, body.get("tokens_evaluated").asInt());
        assertEquals(0, body.get("tokens_cached").asInt());
        assertEquals(0, body.get("id_slot").asInt());
        assertEquals("<s>Hi", body.get("prompt").asText());
        assertFalse(body.get("has_new_line").asBoolean());
        assertEquals(10, body.at("/generation_settings/n_predict").asInt());
        assertEquals(3, body.at("/timings/predicted_n").asInt());
        assertFalse(body.has("completion_probabilities"));
        assertEquals(10, server.engine.lastRequest().maxTokens());
    }

    @Test
    void llamaStopTypeTellsEosFromTheTokenLimit() throws Exception {
        assertEquals("eos", TestServer.json(server.post("/completion", "{\"prompt\":\"Hi\"}")).get("stop_type").asText());
        JsonNode limited = TestServer.json(server.post("/completion", "{\"prompt\":\"Hi\",\"n_predict\":1}"));
        assertEquals("limit", limited.get("stop_type").asText());
        assertEquals("", limited.get("stopping_word").asText());
    }

    @Test
    void llamaNProbsReturnsCompletionProbabilities() throws Exception {
        JsonNode probs = TestServer.json(server.post("/completion", "{\"prompt\":\"Hi\",\"n_probs\":2}"))
                .get("completion_probabilities");
        assertEquals(4, probs.size());
        JsonNode first = probs.get(0);
        assertEquals('H', first.get("id").asInt());
        assertEquals("Hello", first.get("token").asText());
        assertEquals(-0.25, first.get("logprob").asDouble(), 1e-6);
        assertEquals(2, first.get("top_logprobs").size());
        assertEquals('b', first.at("/top_logprobs/1/id").asInt());
        assertEquals(TestServer.JSON.readTree("[98]"), first.at("/top_logprobs/1/bytes"));
    }

    @Test
    void llamaStreamingSendsPiecesThenTheFinalObjectWithoutDone() throws Exception {
        List<String> events = TestServer.events(server.post("/completion", "{\"prompt\":\"Hi\",\"stream\":true}"));
        assertEquals(5, events.size(), events.toString());
        StringBuilder text = new StringBuilder();
        for (String e : events.subList(0, 4)) {
            JsonNode c = TestServer.JSON.readTree(e);
            assertFalse(c.get("stop").asBoolean());
            text.append(c.get("content").asText());
        }
        assertEquals("Hello, world!", text.toString());
        JsonNode last = TestServer.JSON.readTree(events.get(4));
        assertTrue(last.get("stop").asBoolean());
        assertEquals("", last.get("content").asText());
        assertEquals(4, last.get("tokens_predicted").asInt());
        assertEquals("eos", last.get("stop_type").asText());
    }

    @Test
    void tokenPromptsAreUsedAsGivenAndMixedPromptsJoined() throws Exception {
        assertEquals(200, server.post("/v1/completions", "{\"prompt\":[1,72,105]}").statusCode());
        assertArrayEquals(new int[] {1, 72, 105}, server.engine.lastRequest().prompt());
        assertEquals(200, server.post("/completion", "{\"prompt\":[1,\"Hi\",33]}").statusCode());
        assertArrayEquals(new int[] {1, 72, 105, 33}, server.engine.lastRequest().prompt());
        assertEquals(200, server.post("/v1/completions", "{\"prompt\":[\"Hi\"]}").statusCode());
        assertArrayEquals(new int[] {1, 72, 105}, server.engine.lastRequest().prompt());
    }

    @Test
    void severalPromptsGiveOneChoiceEach() throws Exception {
        JsonNode body = TestServer.json(server.post("/v1/completions", "{\"prompt\":[\"A\",\"BC\"]}"));
        assertEquals(2, body.get("choices").size());
        assertEquals(1, body.at("/choices/1/index").asInt());
        assertEquals(2 + 3, body.at("/usage/prompt_tokens").asInt());
        assertEquals(8, body.at("/usage/completion_tokens").asInt());
        JsonNode llama = TestServer.json(server.post("/completion", "{\"prompt\":[\"A\",[66,67]]}"));
        assertTrue(llama.isArray());
        assertEquals(2, llama.size());
        assertEquals("A".length() + 1, llama.get(0).get("tokens_evaluated").asInt());
        assertEquals(2, llama.get(1).get("tokens_evaluated").asInt());
    }

    @Test
    void badPromptsAre400() throws Exception {
        assertTrue(error(server.post("/v1/completions", "{\"prompt\":[72,99999]}")).contains("99999"));
        assertEquals("\"prompt\" is required", error(server.post("/v1/completions", "{}")));
        assertTrue(error(server.post("/completion", "{\"prompt\":{\"a\":1}}")).startsWith("\"prompt\""));
        assertTrue(error(server.post("/completion", "{\"prompt\":[]}")).startsWith("\"prompt\""));
    }

    @Test
    void echoIsRefusedAndProbabilityCountsAreBounded() throws Exception {
        assertTrue(error(server.post("/v1/completions", "{\"prompt\":\"Hi\",\"echo\":true}")).contains("echo"));
        assertTrue(error(server.post("/completion", "{\"prompt\":\"Hi\",\"n_probs\":21}")).contains("n_probs"));
        assertTrue(error(server.post("/v1/completions", "{\"prompt\":\"Hi\",\"logprobs\":-1}")).contains("logprobs"));
    }

    @Test
    void tooManyChoicesAre400() throws Exception {
        try (TestServer s = TestServer.start(b -> b.maxChoices(2))) {
            assertTrue(error(s.post("/v1/completions", "{\"prompt\":[\"A\",\"B\"],\"n\":2}")).contains("choices"));
            assertEquals(200, s.post("/v1/completions", "{\"prompt\":\"A\",\"n\":2}").statusCode());
        }
    }
}
