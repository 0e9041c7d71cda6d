package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Chat answers of every kind deserialize as OpenAI's {@code chat.completion} and
 * {@code chat.completion.chunk}, checked with JSON Schema documents written from the public API
 * reference: plain text, several choices, log probabilities, the usage chunk, tool calls.
 */
class OpenAiShapesTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static final List<String> VARIANTS = List.of("", ",\"n\":2", ",\"logprobs\":true,\"top_logprobs\":2",
            ",\"max_tokens\":2", ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":\"auto\"",
            ",\"response_format\":{\"type\":\"json_object\"}");

    @Test
    void wholeAnswersAreChatCompletions() throws Exception {
        for (String v : VARIANTS) {
            HttpResponse<String> r = server.post("/v1/chat/completions", TestServer.chat(v));
            assertEquals(200, r.statusCode(), v + ": " + r.body());
            OpenAiShapes.assertCompletion(TestServer.json(r));
        }
    }

    @Test
    void streamedAnswersAreChatCompletionChunks() throws Exception {
        for (String v : VARIANTS) {
            HttpResponse<String> r = server.post("/v1/chat/completions", TestServer.chat(v
                    + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
            assertEquals(200, r.statusCode(), v + ": " + r.body());
            List<String> events = TestServer.events(r);
            assertEquals("[DONE]", events.getLast());
            for (String e : events.subList(0, events.size() - 1)) {
                JsonNode chunk = TestServer.JSON.readTree(e);
                OpenAiShapes.assertChunk(chunk);
            }
        }
    }
}
