package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llamabox.chat.tools.ToolCallFormat;
import io.llamabox.testkit.model.DecoderSpec;
import io.llamabox.testkit.model.TestModels;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code tool_choice} through the whole server, for the chat template of each supported family, on
 * random-weight models: whatever the weights, {@code required} and a named function must give
 * well-formed calls whose arguments are valid for the tool's parameters, whole and streamed.
 */
class ToolChoiceTest {
    private static final long[] SEEDS = {3, 4, 5};
    static final String TOOLS = """
            [{"type": "function", "function": {"name": "get_weather", "description": "Weather forecast for a city",
              "parameters": {"type": "object", "properties": {"location": {"type": "string", "maxLength": 16},
               "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
               "days": {"type": "integer", "minimum": 1, "maximum": 7}},
               "required": ["location", "unit"], "additionalProperties": false}}},
             {"type": "function", "function": {"name": "set_alarm", "description": "Sets an alarm",
              "parameters": {"type": "object", "properties": {"time": {"type": "string", "format": "time"},
               "repeat": {"type": "boolean"}, "label": {"type": ["string", "null"], "maxLength": 8}},
               "required": ["time"], "additionalProperties": false}}}]""";

    /** The fixture template of each family, and the format it must be recognized as. */
    static final Map<String, ToolCallFormat> FAMILIES = Map.of(
            "qwen2.5-0.5b", ToolCallFormat.HERMES,
            "nous-hermes2-mixtral-8x7b", ToolCallFormat.HERMES,
            "llama3.1-8b", ToolCallFormat.LLAMA3,
            "mistral-7b-instruct-fp16", ToolCallFormat.MISTRAL,
            "granite3.2-8b", ToolCallFormat.GRANITE,
            "glm4-9b", ToolCallFormat.GLM4);

    static Path fixture(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/fixtures/chat-templates/" + name + ".jinja");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no fixture template " + name + " above " + Path.of("").toAbsolutePath());
    }

    static Path model(String template) throws Exception {
        return TestModels.get(DecoderSpec.tinyLlama().withName("tiny-" + template)
                .withChatTemplate(Files.readString(fixture(template))), TestModels.defaultDirectory());
    }

    /**
     * With parallel calls the grammar lets the model add calls for as long as it likes, and random weights
     * like to: those requests get room for many.
     */
    private static String body(String choice, long seed, boolean parallel, boolean stream) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"}],\"tools\":" + TOOLS
                + ",\"tool_choice\":" + choice + ",\"parallel_tool_calls\":" + parallel + ",\"seed\":" + seed
                + ",\"temperature\":1.0,\"max_tokens\":" + (parallel ? 3000 : 400) + (stream ? ",\"stream\":true" : "")
                + "}";
    }

    @Test
    void requiredAndNamedChoicesGiveValidCallsInEveryFamilysFormat() throws Exception {
        JsonNode tools = JsonSchemas.parse(TOOLS, "tools");
        Map<String, JsonNode> parameters = new HashMap<>();
        for (JsonNode t : tools) {
            parameters.put(t.at("/function/name").asText(), t.at("/function/parameters"));
        }
        for (Map.Entry<String, ToolCallFormat> family : FAMILIES.entrySet()) {
            String template = family.getKey();
            assertEquals(family.getValue(), ToolCallFormat.forTemplate(Files.readString(fixture(template))), template);
            try (RunningBox box = new RunningBox("-m", model(template).toString(), "-c", "4096", "-np", "1")) {
                for (long seed : SEEDS) {
                    String where = template + " seed " + seed;
                    assertEquals(1, check(box.post("/v1/chat/completions", body("\"required\"", seed, false, false)),
                            parameters, null, where), where + ": one call without parallel calls");
                    check(box.post("/v1/chat/completions", body("{\"type\":\"function\",\"function\":{\"name\":\"set_alarm\"}}",
                            seed, false, false)), parameters, "set_alarm", where + " named");
                }
                check(box.post("/v1/chat/completions", body("\"required\"", 8, true, false)), parameters, null,
                        template + " parallel");
                checkStream(box.post("/v1/chat/completions", body("\"required\"", 9, true, true)), parameters, template);
                // auto: a lazy grammar waits for the call's opening, which gibberish does not write
                HttpResponse<String> auto = box.post("/v1/chat/completions",
                        body("\"auto\"", 9, true, false).replace("\"max_tokens\":3000", "\"max_tokens\":300"));
                assertEquals(200, auto.statusCode(), template + " auto: " + auto.body());
                assertEquals("length", JsonSchemas.parse(auto.body(), "auto").at("/choices/0/finish_reason").asText());
            }
        }
    }

    /** Checks a whole answer of calls; returns how many calls it made. */
    private static int check(HttpResponse<String> r, Map<String, JsonNode> parameters, String only, String where) {
        assertEquals(200, r.statusCode(), where + ": " + r.body());
        JsonNode res = JsonSchemas.parse(r.body(), where);
        JsonNode choice = res.at("/choices/0");
        assertEquals("tool_calls", choice.get("finish_reason").asText(), where + ": " + r.body());
        JsonNode calls = choice.at("/message/tool_calls");
        assertTrue(calls.isArray() && !calls.isEmpty(), where + ": " + r.body());
        assertTrue(choice.at("/message/content").isNull(), where + ": the call is the whole answer: " + r.body());
        for (JsonNode call : calls) {
            assertTrue(call.get("id").asText().startsWith("call_"), where);
            assertEquals("function", call.get("type").asText(), where);
            String name = call.at("/function/name").asText();
            assertTrue(parameters.containsKey(name), where + ": unknown function " + name);
            if (only != null) {
                assertEquals(only, name, where);
            }
            JsonSchemas.assertValid(parameters.get(name), JsonSchemas.parse(call.at("/function/arguments").asText(),
                    where + " arguments"), where);
        }
        return calls.size();
    }

    private static void checkStream(HttpResponse<String> r, Map<String, JsonNode> parameters, String where) {
        assertEquals(200, r.statusCode(), where + ": " + r.body());
        Map<Integer, String> names = new HashMap<>();
        Map<Integer, StringBuilder> args = new HashMap<>();
        String finish = null;
        for (JsonNode chunk : JsonSchemas.chunks(r.body())) {
            JsonNode delta = chunk.at("/choices/0/delta");
            assertFalse(delta.hasNonNull("content") && !delta.get("content").asText().isEmpty(),
                    where + ": no text around a required call: " + chunk);
            for (JsonNode tc : delta.path("tool_calls")) {
                int i = tc.get("index").asInt();
                if (tc.has("id")) {
                    names.put(i, tc.at("/function/name").asText());
                    args.put(i, new StringBuilder(tc.at("/function/arguments").asText()));
                } else {
                    args.get(i).append(tc.at("/function/arguments").asText());
                }
            }
            if (chunk.at("/choices/0/finish_reason").isTextual()) {
                finish = chunk.at("/choices/0/finish_reason").asText();
            }
        }
        assertEquals("tool_calls", finish, where);
        assertFalse(names.isEmpty(), where);
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            JsonSchemas.assertValid(parameters.get(e.getValue()),
                    JsonSchemas.parse(args.get(e.getKey()).toString(), where), where + " streamed");
        }
        assertEquals(List.copyOf(names.keySet()), List.copyOf(args.keySet()));
    }
}
