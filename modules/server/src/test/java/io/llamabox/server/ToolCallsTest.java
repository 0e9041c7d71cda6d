package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llamabox.chat.tools.ToolCallFormat;
import io.llamabox.spi.Sampling;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tools on {@code /v1/chat/completions} over a scripted engine: calls in the model's output become OpenAI
 * {@code tool_calls} (whole and streamed), {@code tool_choice} and {@code response_format} reach the
 * engine as grammars, and contradictions or unusable schemas are refused with a 400 naming the problem.
 * Every body and chunk is checked against OpenAI's response schemas.
 */
class ToolCallsTest {
    private static final String TOOLS = """
            [{"type": "function", "function": {"name": "get_weather", "description": "Weather in a city",
              "parameters": {"type": "object", "properties": {"location": {"type": "string"},
              "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}, "required": ["location"]}}},
             {"type": "function", "function": {"name": "get_time",
              "parameters": {"type": "object", "properties": {"zone": {"type": "string"}}}}}]""";
    private static final List<String> TWO_CALLS = List.of("Let", " me", " check", ".\n", "<tool", "_call", ">\n{\"name\":",
            " \"get_weather\", \"arguments\": {\"location\": \"Paris\"}}\n</tool_call>", "\n<tool_call>\n{\"name\": ",
            "\"get_time\", \"arguments\": {\"zone\": \"CET\"}}\n</tool_", "call>");
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.engine.script = TWO_CALLS;
        server.renderer.format = ToolCallFormat.HERMES;
    }

    private static HttpResponse<String> chat(String more) throws Exception {
        return server.post("/v1/chat/completions", TestServer.chat(",\"tools\":" + TOOLS + more));
    }

    private static void assertNoGrammar() {
        String g = server.engine.lastRequest().sampling().grammar();
        assertTrue(g == null || g.isBlank(), "no grammar: " + g);
    }

    private static String error(HttpResponse<String> r) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        JsonNode e = TestServer.json(r).get("error");
        assertEquals("invalid_request_error", e.get("type").asText());
        return e.get("message").asText();
    }

    @Test
    void callsInTheOutputBecomeToolCallsWithTheTextBeforeThemAsContent() throws Exception {
        HttpResponse<String> r = chat("");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = TestServer.json(r);
        OpenAiShapes.assertCompletion(body);
        JsonNode choice = body.at("/choices/0");
        assertEquals("tool_calls", choice.get("finish_reason").asText());
        assertEquals("Let me check.", choice.at("/message/content").asText());
        JsonNode calls = choice.at("/message/tool_calls");
        assertEquals(2, calls.size());
        assertTrue(calls.get(0).get("id").asText().startsWith("call_"));
        assertFalse(calls.get(0).get("id").asText().equals(calls.get(1).get("id").asText()));
        assertEquals("function", calls.get(0).get("type").asText());
        assertEquals("get_weather", calls.at("/0/function/name").asText());
        assertEquals(TestServer.JSON.readTree("{\"location\":\"Paris\"}"),
                TestServer.JSON.readTree(calls.at("/0/function/arguments").asText()));
        assertEquals("get_time", calls.at("/1/function/name").asText());
        assertTrue(server.engine.lastRequest().returnSpecial(), "markers that are special tokens must be visible");
    }

    @Test
    void anAnswerOfOnlyACallHasNullContent() throws Exception {
        server.engine.script = List.of("<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call>");
        JsonNode body = TestServer.json(chat(""));
        OpenAiShapes.assertCompletion(body);
        assertTrue(body.at("/choices/0/message/content").isNull());
        assertEquals("{}", body.at("/choices/0/message/tool_calls/0/function/arguments").asText());
    }

    @Test
    void streamingSendsEachCallOnceCompleteAsOpenAiDeltas() throws Exception {
        HttpResponse<String> r = chat(",\"stream\":true,\"stream_options\":{\"include_usage\":true}");
        assertEquals(200, r.statusCode(), r.body());
        List<JsonNode> chunks = new ArrayList<>();
        List<String> events = TestServer.events(r);
        assertEquals("[DONE]", events.getLast());
        for (String e : events.subList(0, events.size() - 1)) {
            JsonNode chunk = TestServer.JSON.readTree(e);
            OpenAiShapes.assertChunk(chunk);
            chunks.add(chunk);
        }
        StringBuilder content = new StringBuilder();
        Map<Integer, String> names = new HashMap<>();
        Map<Integer, StringBuilder> args = new HashMap<>();
        Map<Integer, String> ids = new HashMap<>();
        String finish = null;
        for (JsonNode chunk : chunks) {
            if (chunk.get("choices").isEmpty()) {
                assertTrue(chunk.has("usage"));
                continue;
            }
            JsonNode delta = chunk.at("/choices/0/delta");
            if (delta.has("content")) {
                assertFalse(delta.get("content").asText().contains("<"), "no part of a call in content: " + delta);
                content.append(delta.get("content").asText());
            }
            for (JsonNode tc : delta.path("tool_calls")) {
                int i = tc.get("index").asInt();
                if (tc.has("id")) {
                    assertFalse(ids.containsKey(i), "one opening delta per call");
                    ids.put(i, tc.get("id").asText());
                    assertEquals("function", tc.get("type").asText());
                    names.put(i, tc.at("/function/name").asText());
                    assertEquals("", tc.at("/function/arguments").asText());
                    args.put(i, new StringBuilder());
                } else {
                    assertFalse(tc.at("/function").has("name"));
                    args.get(i).append(tc.at("/function/arguments").asText());
                }
            }
            if (!chunk.at("/choices/0/finish_reason").isNull()) {
                finish = chunk.at("/choices/0/finish_reason").asText();
            }
        }
        assertEquals("Let me check.", content.toString());
        assertEquals(Map.of(0, "get_weather", 1, "get_time"), names);
        assertEquals(TestServer.JSON.readTree("{\"zone\":\"CET\"}"), TestServer.JSON.readTree(args.get(1).toString()));
        assertTrue(ids.get(0).startsWith("call_") && ids.get(1).startsWith("call_"));
        assertEquals("tool_calls", finish);
    }

    @Test
    void theModelsOwnFormatIsRead() throws Exception {
        server.renderer.format = ToolCallFormat.MISTRAL;
        server.engine.script = List.of("[TOOL", "_CALLS][{\"name\": \"get_time\", \"arguments\": {\"zone\": \"UTC\"}}]");
        JsonNode body = TestServer.json(chat(""));
        assertEquals("get_time", body.at("/choices/0/message/tool_calls/0/function/name").asText());
        assertTrue(server.engine.lastRequest().sampling().grammarTriggerPatterns().getFirst().contains("TOOL_CALLS"));
    }

    @Test
    void requiredForcesACallWithAGrammarFromTheFirstCharacter() throws Exception {
        assertEquals(200, chat(",\"tool_choice\":\"required\"").statusCode());
        Sampling s = server.engine.lastRequest().sampling();
        assertFalse(s.grammarLazy());
        assertTrue(s.grammar().startsWith("root ::= "), s.grammar());
        assertTrue(s.grammar().contains("<tool_call>") && s.grammar().contains("get_weather")
                && s.grammar().contains("get_time"), s.grammar());
        assertTrue(s.grammar().contains(")*"), "parallel calls by default: " + s.grammar());

        assertEquals(200, chat(",\"tool_choice\":\"required\",\"parallel_tool_calls\":false").statusCode());
        assertFalse(server.engine.lastRequest().sampling().grammar().lines().findFirst().orElseThrow().contains(")*"));

        assertEquals(200, chat(",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}").statusCode());
        String named = server.engine.lastRequest().sampling().grammar();
        assertTrue(named.contains("get_time") && !named.contains("get_weather"), named);
    }

    @Test
    void autoGetsALazyGrammarTriggeredAtTheCallsOpening() throws Exception {
        assertEquals(200, chat("").statusCode());
        Sampling s = server.engine.lastRequest().sampling();
        assertTrue(s.grammarLazy());
        assertEquals(List.of("(<tool_call>)"), s.grammarTriggerPatterns());
    }

    @Test
    void noneLeavesTheOutputAsText() throws Exception {
        server.engine.script = List.of("<tool_call>{\"name\": \"get_time\", \"arguments\": {}}</tool_call>");
        JsonNode body = TestServer.json(chat(",\"tool_choice\":\"none\""));
        OpenAiShapes.assertCompletion(body);
        assertEquals("stop", body.at("/choices/0/finish_reason").asText());
        assertTrue(body.at("/choices/0/message/content").asText().startsWith("<tool_call>"));
        assertFalse(body.at("/choices/0/message").has("tool_calls"));
        assertNoGrammar();
        assertEquals(2, server.renderer.lastTools.size(), "the tools still reach the template");
    }

    @Test
    void aCallCutOffByTheTokenLimitIsTextWithFinishReasonLength() throws Exception {
        JsonNode body = TestServer.json(chat(",\"max_tokens\":6"));
        OpenAiShapes.assertCompletion(body);
        assertEquals("length", body.at("/choices/0/finish_reason").asText());
        assertFalse(body.at("/choices/0/message").has("tool_calls"));
        assertEquals("Let me check.\n<tool_call", body.at("/choices/0/message/content").asText());
    }

    @Test
    void responseFormatsBecomeGrammars() throws Exception {
        server.engine.script = List.of("{\"a\": 1}");
        String plain = ",\"response_format\":";
        assertEquals(200, server.post("/v1/chat/completions",
                TestServer.chat(plain + "{\"type\":\"json_object\"}")).statusCode());
        assertTrue(server.engine.lastRequest().sampling().grammar().startsWith("root ::= object"));
        assertEquals(200, server.post("/v1/chat/completions", TestServer.chat(plain
                + "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"r\",\"strict\":true,\"schema\":{\"type\":\"object\","
                + "\"properties\":{\"age\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":150}},\"required\":[\"age\"],"
                + "\"additionalProperties\":false}}}")).statusCode());
        String g = server.engine.lastRequest().sampling().grammar();
        assertTrue(g.contains("\\\"age\\\"") && g.contains("\"5\" \"0\""), "age bounded by 150: " + g);
        assertEquals(200, server.post("/v1/chat/completions",
                TestServer.chat(",\"json_schema\":{\"type\":\"array\",\"items\":{\"type\":\"boolean\"}}")).statusCode());
        assertTrue(server.engine.lastRequest().sampling().grammar().contains("\"true\" | \"false\""));
        assertEquals(200, server.post("/v1/chat/completions", TestServer.chat(plain + "{\"type\":\"text\"}")).statusCode());
        assertNoGrammar();
    }

    @Test
    void autoWithAResponseFormatAllowsTheJsonAnswerOrACall() throws Exception {
        assertEquals(200, chat(",\"response_format\":{\"type\":\"json_object\"}").statusCode());
        Sampling s = server.engine.lastRequest().sampling();
        assertFalse(s.grammarLazy());
        assertTrue(s.grammar().contains("<tool_call>") && s.grammar().contains("object"), s.grammar());
    }

    @Test
    void contradictionsAndUnusableSchemasAre400NamingTheProblem() throws Exception {
        assertTrue(error(chat(",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"launch\"}}"))
                .contains("launch"));
        assertTrue(error(server.post("/v1/chat/completions", TestServer.chat(",\"tool_choice\":\"required\"")))
                .contains("\"tools\" is empty"));
        assertTrue(error(chat(",\"tool_choice\":\"maybe\"")).contains("tool_choice"));
        assertTrue(error(server.post("/v1/chat/completions", TestServer.chat(",\"tools\":[{\"type\":\"function\","
                + "\"function\":{\"name\":\"bad name\"}}]"))).contains("tools[0].function.name"));
        assertTrue(error(chat(",\"tool_choice\":\"required\",\"grammar\":\"root ::= \\\"x\\\"\"")).contains("grammar"));
        assertTrue(error(server.post("/v1/chat/completions", TestServer.chat(",\"grammar\":\"root ::= \\\"x\\\"\","
                + "\"response_format\":{\"type\":\"json_object\"}"))).contains("response_format"));
        assertTrue(error(server.post("/v1/chat/completions", TestServer.chat(",\"response_format\":{\"type\":"
                + "\"json_schema\",\"json_schema\":{\"name\":\"x\"}}"))).contains("json_schema.schema"));
        assertTrue(error(server.post("/v1/chat/completions", TestServer.chat(",\"response_format\":{\"type\":\"xml\"}")))
                .contains("xml"));
        String unique = error(server.post("/v1/chat/completions", TestServer.chat(",\"response_format\":{\"type\":"
                + "\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":{\"type\":\"object\",\"properties\":{\"tags\":"
                + "{\"type\":\"array\",\"uniqueItems\":true}}}}}")));
        assertTrue(unique.contains("uniqueItems") && unique.contains("#/properties/tags"), unique);
        String lookahead = error(server.post("/v1/chat/completions", TestServer.chat(",\"json_schema\":{\"type\":"
                + "\"string\",\"pattern\":\"^(?!x)\"}")));
        assertTrue(lookahead.contains("lookaround"), lookahead);
        String tool = error(server.post("/v1/chat/completions", TestServer.chat(",\"tool_choice\":\"required\","
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"n\":{\"type\":\"number\",\"multipleOf\":2}}}}}]")));
        assertTrue(tool.contains("tools[0].function.parameters") && tool.contains("multipleOf"), tool);
    }

    @Test
    void autoWithAToolSchemaNoGrammarCanExpressStillAnswers() throws Exception {
        server.engine.script = List.of("Hi!");
        HttpResponse<String> r = server.post("/v1/chat/completions", TestServer.chat(",\"tools\":[{\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"parameters\":{\"not\":{}}}}]"));
        assertEquals(200, r.statusCode(), r.body());
        assertNoGrammar();
        assertEquals("Hi!", TestServer.json(r).at("/choices/0/message/content").asText());
    }
}
