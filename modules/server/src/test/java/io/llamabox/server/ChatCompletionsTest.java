package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llamabox.spi.GenerationRequest;
import io.llamabox.spi.Sampling;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatCompletionsTest {
    /** "&lt;user&gt;Hi\n&lt;assistant&gt;" after one BOS. */
    private static final int PROMPT_TOKENS = 21;
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(b -> b.maxRequestBytes(4096));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void resetScript() {
        server.engine.script = List.of("Hello", ",", " world", "!");
        server.engine.afterFirstPiece = null;
    }

    private static HttpResponse<String> chat(String moreFields) throws Exception {
        return server.post("/v1/chat/completions", TestServer.chat(moreFields));
    }

    private static String error(HttpResponse<String> r) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        JsonNode error = TestServer.json(r).get("error");
        assertEquals(400, error.get("code").asInt());
        assertEquals("invalid_request_error", error.get("type").asText());
        return error.get("message").asText();
    }

    @Test
    void nonStreamingAnswerHasOpenAiShapeWithUsageAndTimings() throws Exception {
        HttpResponse<String> r = chat("");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = TestServer.json(r);
        assertTrue(body.get("id").asText().startsWith("chatcmpl-"));
        assertEquals("chat.completion", body.get("object").asText());
        assertTrue(Math.abs(body.get("created").asLong() - System.currentTimeMillis() / 1000) < 60);
        assertEquals("m", body.get("model").asText());
        JsonNode choice = body.get("choices").get(0);
        assertEquals(0, choice.get("index").asInt());
        assertEquals("assistant", choice.at("/message/role").asText());
        assertEquals("Hello, world!", choice.at("/message/content").asText());
        assertEquals("stop", choice.get("finish_reason").asText());
        assertTrue(choice.has("logprobs") && choice.get("logprobs").isNull());
        assertEquals(TestServer.JSON.readTree("{\"prompt_tokens\":" + PROMPT_TOKENS + ",\"completion_tokens\":4,"
                + "\"total_tokens\":" + (PROMPT_TOKENS + 4) + ",\"prompt_tokens_details\":{\"cached_tokens\":0}}"),
                body.get("usage"));
        JsonNode timings = body.get("timings");
        assertEquals(PROMPT_TOKENS, timings.get("prompt_n").asInt());
        assertEquals(4.0, timings.get("prompt_ms").asDouble(), 1e-9);
        assertEquals(4, timings.get("predicted_n").asInt());
        assertEquals(8.0, timings.get("predicted_ms").asDouble(), 1e-9);
        assertEquals(2.0, timings.get("predicted_per_token_ms").asDouble(), 1e-9);
        assertEquals(500.0, timings.get("predicted_per_second").asDouble(), 1e-9);
    }

    @Test
    void cachedPromptTokensAreReportedInUsageDetails() throws Exception {
        server.engine.cachedTokens = 5;
        try {
            JsonNode body = TestServer.json(chat(""));
            assertEquals(5, body.at("/usage/prompt_tokens_details/cached_tokens").asInt());
            assertEquals(PROMPT_TOKENS - 5, body.at("/timings/prompt_n").asInt());
            assertEquals(5, body.at("/timings/cache_n").asInt());
        } finally {
            server.engine.cachedTokens = 0;
        }
    }

    @Test
    void messagesReachTheTemplateValidatedWithContentPartsJoinedAndOneBos() throws Exception {
        String body = "{\"messages\":["
                + "{\"role\":\"system\",\"content\":\"Be brief\"},"
                + "{\"role\":\"developer\",\"content\":\"Rules\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"content\":\"42\",\"tool_call_id\":\"c1\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}";
        assertEquals(200, server.post("/v1/chat/completions", body).statusCode());
        RecordingRenderer renderer = server.renderer;
        assertEquals(5, renderer.lastMessages.size());
        assertEquals("a\nb", renderer.lastMessages.get(2).get("content").asText());
        assertEquals("", renderer.lastMessages.get(3).get("content").asText());
        assertEquals("f", renderer.lastMessages.get(3).at("/tool_calls/0/function/name").asText());
        assertEquals("c1", renderer.lastMessages.get(4).get("tool_call_id").asText());
        assertEquals(1, renderer.lastTools.size());
        assertTrue(renderer.lastAddGenerationPrompt);
        int[] prompt = server.engine.lastRequest().prompt();
        assertEquals(ScriptedEngine.BOS, prompt[0]);
        assertEquals('<', prompt[1]);
    }

    @Test
    void streamingSendsRoleFirstThenPiecesThenFinishThenUsageThenDone() throws Exception {
        HttpResponse<String> r = chat(",\"stream\":true,\"stream_options\":{\"include_usage\":true}");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
        List<String> events = TestServer.events(r);
        assertEquals(8, events.size(), events.toString());
        assertEquals("[DONE]", events.getLast());
        List<JsonNode> chunks = new ArrayList<>();
        for (String e : events.subList(0, 7)) {
            chunks.add(TestServer.JSON.readTree(e));
        }
        String id = chunks.getFirst().get("id").asText();
        for (JsonNode c : chunks) {
            assertEquals("chat.completion.chunk", c.get("object").asText());
            assertEquals(id, c.get("id").asText());
        }
        assertEquals("assistant", chunks.get(0).at("/choices/0/delta/role").asText());
        StringBuilder text = new StringBuilder();
        for (JsonNode c : chunks.subList(1, 5)) {
            assertFalse(c.at("/choices/0/delta").has("role"));
            assertTrue(c.at("/choices/0/finish_reason").isNull());
            text.append(c.at("/choices/0/delta/content").asText());
        }
        assertEquals("Hello, world!", text.toString());
        JsonNode finish = chunks.get(5);
        assertEquals("stop", finish.at("/choices/0/finish_reason").asText());
        assertEquals(0, finish.at("/choices/0/delta").size());
        assertEquals(4, finish.at("/timings/predicted_n").asInt());
        JsonNode usage = chunks.get(6);
        assertEquals(0, usage.get("choices").size());
        assertEquals(4, usage.at("/usage/completion_tokens").asInt());
        assertEquals(PROMPT_TOKENS, usage.at("/usage/prompt_tokens").asInt());
    }

    @Test
    void streamingWithoutIncludeUsageSendsNoUsageChunk() throws Exception {
        List<String> events = TestServer.events(chat(",\"stream\":true"));
        assertEquals(7, events.size(), events.toString());
        for (String e : events.subList(0, 6)) {
            assertFalse(TestServer.JSON.readTree(e).has("usage"), e);
        }
        assertEquals("[DONE]", events.getLast());
    }

    @Test
    void streamingDeliversEachPieceBeforeTheEngineProducesTheNext() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        server.engine.afterFirstPiece = gate;
        HttpRequest request = server.request("/v1/chat/completions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.chat(",\"stream\":true"))).build();
        HttpResponse<InputStream> r = server.client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            CompletableFuture<Boolean> sawFirstPiece = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (line.contains("\"Hello\"")) {
                            return true;
                        }
                    }
                    return false;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // the engine holds the rest until the gate opens, so the first piece must come on its own
            assertTrue(sawFirstPiece.get(60, TimeUnit.SECONDS), "the first piece arrived while the engine waited");
            gate.countDown();
            StringBuilder rest = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                rest.append(line).append('\n');
            }
            assertTrue(rest.toString().contains("\" world\""));
            assertTrue(rest.toString().endsWith("data: [DONE]\n\n"));
        }
    }

    @Test
    void reachingMaxTokensFinishesWithLength() throws Exception {
        JsonNode body = TestServer.json(chat(",\"max_tokens\":2"));
        assertEquals("Hello,", body.at("/choices/0/message/content").asText());
        assertEquals("length", body.at("/choices/0/finish_reason").asText());
        assertEquals(2, body.at("/usage/completion_tokens").asInt());
    }

    @Test
    void maxCompletionTokensWinsOverMaxTokens() throws Exception {
        chat(",\"max_tokens\":2,\"max_completion_tokens\":3");
        assertEquals(3, server.engine.lastRequest().maxTokens());
        chat(",\"n_predict\":7");
        assertEquals(7, server.engine.lastRequest().maxTokens());
    }

    @Test
    void aStopStringFinishesWithStop() throws Exception {
        JsonNode body = TestServer.json(chat(",\"stop\":\" world\""));
        assertEquals("Hello,", body.at("/choices/0/message/content").asText());
        assertEquals("stop", body.at("/choices/0/finish_reason").asText());
        assertEquals(List.of(" world"), server.engine.lastRequest().stop());
    }

    @Test
    void samplingAndLlamaCppFieldsReachTheEngine() throws Exception {
        assertEquals(200, chat(",\"temperature\":0.2,\"top_p\":0.5,\"top_k\":7,\"min_p\":0.05,\"typical_p\":0.9,"
                + "\"seed\":42,\"presence_penalty\":0.3,\"frequency_penalty\":0.4,\"repeat_penalty\":1.1,"
                + "\"repeat_last_n\":32,\"mirostat\":2,\"mirostat_tau\":4.0,\"mirostat_eta\":0.2,"
                + "\"dry_multiplier\":0.8,\"dry_base\":2.0,\"dry_allowed_length\":3,\"dry_penalty_last_n\":16,"
                + "\"dry_sequence_breakers\":[\"x\"],\"xtc_probability\":0.5,\"xtc_threshold\":0.2,"
                + "\"dynatemp_range\":0.1,\"dynatemp_exponent\":1.5,\"samplers\":\"kt\",\"grammar\":\"root ::= \\\"a\\\"\","
                + "\"logit_bias\":{\"65\":2.5,\"66\":false},\"ignore_eos\":true,\"n_keep\":4,\"cache_prompt\":false,"
                + "\"id_slot\":1,\"min_keep\":2,\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"],\"user\":\"u\"").statusCode());
        GenerationRequest r = server.engine.lastRequest();
        Sampling s = r.sampling();
        assertEquals(0.2f, s.temperature());
        assertEquals(0.5f, s.topP());
        assertEquals(7, s.topK());
        assertEquals(0.05f, s.minP());
        assertEquals(0.9f, s.typicalP());
        assertEquals(42, s.seed());
        assertEquals(0.3f, s.presencePenalty());
        assertEquals(0.4f, s.frequencyPenalty());
        assertEquals(1.1f, s.repeatPenalty());
        assertEquals(32, s.repeatLastN());
        assertEquals(2, s.mirostat());
        assertEquals(4.0f, s.mirostatTau());
        assertEquals(0.2f, s.mirostatEta());
        assertEquals(0.8f, s.dryMultiplier());
        assertEquals(2.0f, s.dryBase());
        assertEquals(3, s.dryAllowedLength());
        assertEquals(16, s.dryPenaltyLastN());
        assertEquals(List.of("x"), s.drySequenceBreakers());
        assertEquals(0.5f, s.xtcProbability());
        assertEquals(0.2f, s.xtcThreshold());
        assertEquals(0.1f, s.dynatempRange());
        assertEquals(1.5f, s.dynatempExponent());
        assertEquals(List.of("top_k", "temperature"), s.samplers());
        assertEquals("root ::= \"a\"", s.grammar());
        assertEquals(Map.of(65, 2.5f, 66, Float.NEGATIVE_INFINITY), s.logitBias());
        assertEquals(2, s.minKeep());
        assertTrue(r.ignoreEos());
        assertEquals(4, r.nKeep());
        assertFalse(r.cachePrompt());
        assertEquals(1, r.slotId());
        assertEquals(List.of("a", "b", "c", "d", "e"), r.stop());
    }

    @Test
    void unsetFieldsTakeTheServerDefaults() throws Exception {
        try (TestServer s = TestServer.start(b -> b.nPredict(50).nKeep(3).cachePrompt(false).returnSpecial(true))) {
            s.post("/v1/chat/completions", TestServer.chat(""));
            GenerationRequest r = s.engine.lastRequest();
            assertEquals(ServerConfig.defaultSampling(), r.sampling());
            assertEquals(50, r.maxTokens());
            assertEquals(3, r.nKeep());
            assertFalse(r.cachePrompt());
            assertTrue(r.returnSpecial());
            assertEquals(-1, r.slotId());
            assertEquals(0, r.nProbs());
            assertEquals(0.0, r.tokensPerSecond());
            s.post("/v1/chat/completions", TestServer.chat(",\"max_tokens\":500"));
            assertEquals(50, s.engine.lastRequest().maxTokens(), "a positive -n caps what requests ask for");
        }
    }

    @Test
    void nAboveOneRunsOneTaskPerChoiceWithDistinctSeeds() throws Exception {
        int before = server.engine.requests.size();
        JsonNode body = TestServer.json(chat(",\"n\":3,\"seed\":10"));
        assertEquals(3, body.get("choices").size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, body.at("/choices/" + i + "/index").asInt());
            assertEquals("Hello, world!", body.at("/choices/" + i + "/message/content").asText());
        }
        assertEquals(PROMPT_TOKENS, body.at("/usage/prompt_tokens").asInt(), "the prompt counts once");
        assertEquals(12, body.at("/usage/completion_tokens").asInt());
        List<GenerationRequest> submitted = server.engine.requests.subList(before, before + 3);
        assertEquals(List.of(10L, 11L, 12L), submitted.stream().map(r -> r.sampling().seed()).toList());
    }

    @Test
    void streamingSeveralChoicesEndsEachWithItsOwnFinishChunk() throws Exception {
        List<String> events = TestServer.events(chat(",\"n\":2,\"stream\":true"));
        int finishes = 0;
        StringBuilder[] texts = {new StringBuilder(), new StringBuilder()};
        for (String e : events.subList(0, events.size() - 1)) {
            JsonNode c = TestServer.JSON.readTree(e).at("/choices/0");
            texts[c.get("index").asInt()].append(c.at("/delta/content").asText(""));
            if (!c.get("finish_reason").isNull()) {
                finishes++;
            }
        }
        assertEquals(2, finishes);
        assertEquals("Hello, world!", texts[0].toString());
        assertEquals("Hello, world!", texts[1].toString());
        assertEquals("[DONE]", events.getLast());
    }

    @Test
    void logprobsComeBackInOpenAiShape() throws Exception {
        JsonNode body = TestServer.json(chat(",\"logprobs\":true,\"top_logprobs\":2"));
        assertEquals(2, server.engine.lastRequest().nProbs());
        JsonNode content = body.at("/choices/0/logprobs/content");
        assertEquals(4, content.size());
        JsonNode first = content.get(0);
        assertEquals("Hello", first.get("token").asText());
        assertEquals(-0.25, first.get("logprob").asDouble(), 1e-6);
        assertEquals(TestServer.JSON.readTree("[72,101,108,108,111]"), first.get("bytes"));
        assertEquals(2, first.get("top_logprobs").size());
        assertEquals("b", first.at("/top_logprobs/1/token").asText());

        chat(",\"logprobs\":true");
        assertEquals(1, server.engine.lastRequest().nProbs(), "the chosen token's logprob needs one");
    }

    @Test
    void topLogprobsNeedsLogprobsAndALimit() throws Exception {
        assertTrue(error(chat(",\"top_logprobs\":2")).contains("logprobs"));
        assertTrue(error(chat(",\"logprobs\":true,\"top_logprobs\":21")).contains("top_logprobs"));
    }

    @Test
    void malformedJsonIs400() throws Exception {
        assertTrue(error(server.post("/v1/chat/completions", "{\"messages\": [")).contains("not valid JSON"));
        assertTrue(error(server.post("/v1/chat/completions", "[1,2]")).contains("JSON object"));
        assertTrue(error(server.post("/v1/chat/completions", "")).contains("JSON body"));
    }

    @Test
    void aFieldOfTheWrongTypeIs400NamingIt() throws Exception {
        assertEquals("\"temperature\" must be a number", error(chat(",\"temperature\":\"hot\"")));
        assertEquals("\"max_tokens\" must be an integer", error(chat(",\"max_tokens\":1.5")));
        assertEquals("\"stream\" must be a boolean", error(chat(",\"stream\":\"yes\"")));
        assertEquals("\"stream_options.include_usage\" must be a boolean",
                error(chat(",\"stream\":true,\"stream_options\":{\"include_usage\":1}")));
        assertTrue(error(chat(",\"stop\":5")).startsWith("\"stop\""));
        assertTrue(error(chat(",\"model\":5")).startsWith("\"model\""));
        assertTrue(error(chat(",\"samplers\":5")).startsWith("\"samplers\""));
        assertTrue(error(chat(",\"mirostat\":3")).startsWith("\"mirostat\""));
    }

    @Test
    void nullFieldsTakeTheirDefaults() throws Exception {
        assertEquals(200, chat(",\"temperature\":null,\"stop\":null,\"seed\":null,\"max_tokens\":null").statusCode());
        assertEquals(ServerConfig.defaultSampling(), server.engine.lastRequest().sampling());
    }

    @Test
    void anUnknownRoleIs400() throws Exception {
        String message = error(server.post("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}"));
        assertTrue(message.contains("messages[0].role") && message.contains("wizard"), message);
    }

    @Test
    void emptyOrMissingMessagesAre400() throws Exception {
        assertEquals("\"messages\" must not be empty", error(server.post("/v1/chat/completions", "{\"messages\":[]}")));
        assertEquals("\"messages\" is required", error(server.post("/v1/chat/completions", "{}")));
        assertEquals("\"messages\" must be an array", error(server.post("/v1/chat/completions", "{\"messages\":\"hi\"}")));
        assertTrue(error(server.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\"}]}"))
                .contains("messages[0].content"));
    }

    @Test
    void imageContentPartsAre400() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}}]}]}";
        assertTrue(error(server.post("/v1/chat/completions", body)).contains("image_url"));
    }

    @Test
    void aBodyOverTheLimitIs413InTheSameShape() throws Exception {
        String big = TestServer.chat(",\"user\":\"" + "x".repeat(5000) + "\"");
        HttpResponse<String> r = server.post("/v1/chat/completions", big);
        assertEquals(413, r.statusCode());
        assertEquals(413, TestServer.json(r).at("/error/code").asInt());
        assertEquals("invalid_request_error", TestServer.json(r).at("/error/type").asText());

        HttpRequest chunked = server.request("/v1/chat/completions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))).build();
        assertEquals(413, server.send(chunked).statusCode());
    }

    @Test
    void logitBiasForATokenOutsideTheVocabularyIs400() throws Exception {
        assertTrue(error(chat(",\"logit_bias\":{\"99999\":1}")).contains("99999"));
        assertTrue(error(chat(",\"logit_bias\":{\"5\":\"up\"}")).contains("logit_bias"));
    }

    @Test
    void aPromptLongerThanTheSlotContextIs400FromTheEngine() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "y".repeat(300) + "\"}]}";
        assertTrue(error(server.post("/v1/chat/completions", body)).contains("each slot's context"));
    }

    @Test
    void aTemplateThatRefusesTheMessagesIs400() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"please refuse\"}]}";
        assertTrue(error(server.post("/v1/chat/completions", body)).contains("roles must alternate"));
    }

    @Test
    void unknownResponseFormatsAreRefusedClearly() throws Exception {
        assertTrue(error(chat(",\"response_format\":{\"type\":\"yaml\"}")).contains("json_schema"));
        assertEquals(200, chat(",\"response_format\":{\"type\":\"text\"}").statusCode());
    }

    @Test
    void theRequestModelIsEchoedAndTheServerNameUsedOtherwise() throws Exception {
        JsonNode named = TestServer.json(chat(""));
        assertEquals("m", named.get("model").asText());
        JsonNode unnamed = TestServer.json(server.post("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
        assertEquals("test-model.gguf", unnamed.get("model").asText());
        assertNotEquals(named.get("id").asText(), unnamed.get("id").asText());
    }
}
