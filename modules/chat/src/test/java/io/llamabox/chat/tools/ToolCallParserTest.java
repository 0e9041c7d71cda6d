package io.llamabox.chat.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tool calls read from outputs written the way each model family writes them, whole and streamed: split
 * at every character boundary, the pieces must add up to the same content and calls, and no piece of
 * content may carry the start of a call.
 */
class ToolCallParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<ToolDefinition> TOOLS = ToolDefinition.parseAll(json("""
            [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object",
              "properties": {"location": {"type": "string"}, "unit": {"enum": ["celsius", "fahrenheit"]}},
              "required": ["location"]}}},
             {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object",
              "properties": {"zone": {"type": "string"}}}}},
             {"type": "function", "function": {"name": "brave_search"}},
             {"type": "function", "function": {"name": "code_interpreter"}}]"""));

    private record Sample(ToolCallFormat format, String output, String content, List<ToolCall> calls) {
    }

    private static ToolCall call(String name, String arguments) {
        return new ToolCall(name, arguments);
    }

    private static final List<Sample> SAMPLES = List.of(
            // Qwen2.5 / Hermes 2 Pro
            new Sample(ToolCallFormat.HERMES, """
                    <tool_call>
                    {"name": "get_weather", "arguments": {"location": "Paris", "unit": "celsius"}}
                    </tool_call>""", null,
                    List.of(call("get_weather", "{\"location\":\"Paris\",\"unit\":\"celsius\"}"))),
            new Sample(ToolCallFormat.HERMES, """
                    I'll check the weather in both cities.
                    <tool_call>
                    {"name": "get_weather", "arguments": {"location": "Paris"}}
                    </tool_call>
                    <tool_call>
                    {"name": "get_weather", "arguments": {"location": "Tokyo, Japan"}}
                    </tool_call>""", "I'll check the weather in both cities.",
                    List.of(call("get_weather", "{\"location\":\"Paris\"}"),
                            call("get_weather", "{\"location\":\"Tokyo, Japan\"}"))),
            new Sample(ToolCallFormat.HERMES, "The capital of France is Paris. It has about 2.1 million people.\n",
                    "The capital of France is Paris. It has about 2.1 million people.\n", List.of()),
            new Sample(ToolCallFormat.HERMES, "Write <tool_call> tags like <tool_call>{oops} when calling.",
                    "Write <tool_call> tags like <tool_call>{oops} when calling.", List.of()),
            // cut by the token limit inside a call: the unfinished call is dropped, never content
            new Sample(ToolCallFormat.HERMES, "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"location\": \"Par",
                    null, List.of()),
            new Sample(ToolCallFormat.HERMES, """
                    <tool_call>
                    {"name": "get_weather", "arguments": {"location": "Paris"}}
                    </tool_call>
                    <tool_call>
                    {"name": "get_time", "argu""", null, List.of(call("get_weather", "{\"location\":\"Paris\"}"))),
            new Sample(ToolCallFormat.HERMES, "Checking.\n<tool_call>", "Checking.", List.of()),
            new Sample(ToolCallFormat.HERMES, """
                    <tool_call>
                    {"name": "get_time", "arguments": "{\\"zone\\": \\"UTC\\"}"}
                    </tool_call>""", null, List.of(call("get_time", "{\"zone\":\"UTC\"}"))),
            new Sample(ToolCallFormat.HERMES, "<tool_call>\n{\"name\": \"get_time\", \"arguments\": {\"zone\": \"Asia/Tokyo\"}}",
                    null, List.of(call("get_time", "{\"zone\":\"Asia/Tokyo\"}"))),
            new Sample(ToolCallFormat.HERMES, "<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call>\n\nDone.",
                    "Done.", List.of(call("get_time", "{}"))),
            new Sample(ToolCallFormat.HERMES, "Temperatures: 21.5 °C — «ensoleillé» ☀️<tool_call>{\"name\":\"get_time\","
                    + "\"arguments\":{\"zone\":\"Europe/Paris\"}}</tool_call>",
                    "Temperatures: 21.5 °C — «ensoleillé» ☀️", List.of(call("get_time", "{\"zone\":\"Europe/Paris\"}"))),
            // LLaMA 3.1 / 3.2
            new Sample(ToolCallFormat.LLAMA3, "{\"name\": \"get_weather\", \"parameters\": {\"location\": \"San Francisco, CA\"}}",
                    null, List.of(call("get_weather", "{\"location\":\"San Francisco, CA\"}"))),
            new Sample(ToolCallFormat.LLAMA3, "\n\n{\"name\": \"get_time\", \"parameters\": {\"zone\": \"UTC\"}}",
                    null, List.of(call("get_time", "{\"zone\":\"UTC\"}"))),
            new Sample(ToolCallFormat.LLAMA3, "<|python_tag|>{\"name\": \"get_weather\", \"parameters\": {\"location\": \"Menlo Park\"}}",
                    null, List.of(call("get_weather", "{\"location\":\"Menlo Park\"}"))),
            new Sample(ToolCallFormat.LLAMA3, "<|python_tag|>brave_search.call(query=\"current weather in Menlo Park\")",
                    null, List.of(call("brave_search", "{\"query\":\"current weather in Menlo Park\"}"))),
            new Sample(ToolCallFormat.LLAMA3, "<|python_tag|>import math\nprint(math.sqrt(2))",
                    null, List.of(call("code_interpreter", "{\"code\":\"import math\\nprint(math.sqrt(2))\"}"))),
            new Sample(ToolCallFormat.LLAMA3, "{\"name\": \"get_weather\", \"parameters\": {\"location\": \"Oslo\"}}; "
                    + "{\"name\": \"get_time\", \"parameters\": {\"zone\": \"CET\"}}", null,
                    List.of(call("get_weather", "{\"location\":\"Oslo\"}"), call("get_time", "{\"zone\":\"CET\"}"))),
            new Sample(ToolCallFormat.LLAMA3, "{\"answer\": 42, \"unit\": \"none\"}",
                    "{\"answer\": 42, \"unit\": \"none\"}", List.of()),
            new Sample(ToolCallFormat.LLAMA3, "{\"name\": \"Ada Lovelace\", \"born\": 1815}",
                    "{\"name\": \"Ada Lovelace\", \"born\": 1815}", List.of()),
            new Sample(ToolCallFormat.LLAMA3, "Here is the call: {\"name\": \"get_time\", \"parameters\": {}}",
                    "Here is the call: {\"name\": \"get_time\", \"parameters\": {}}", List.of()),
            new Sample(ToolCallFormat.LLAMA3, "It is sunny in Paris today, 24 degrees.",
                    "It is sunny in Paris today, 24 degrees.", List.of()),
            // Mistral
            new Sample(ToolCallFormat.MISTRAL, "[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"location\": \"Paris\"},"
                    + " \"id\": \"a1B2c3D4e\"}]", null, List.of(call("get_weather", "{\"location\":\"Paris\"}"))),
            new Sample(ToolCallFormat.MISTRAL, " [TOOL_CALLS] [{\"name\": \"get_weather\", \"arguments\": {\"location\": \"Lyon\"}},"
                    + " {\"name\": \"get_time\", \"arguments\": {\"zone\": \"CET\"}}]", null,
                    List.of(call("get_weather", "{\"location\":\"Lyon\"}"), call("get_time", "{\"zone\":\"CET\"}"))),
            new Sample(ToolCallFormat.MISTRAL, "[TOOL_CALLS]get_weather[ARGS]{\"location\": \"Nice\", \"unit\": \"celsius\"}",
                    null, List.of(call("get_weather", "{\"location\":\"Nice\",\"unit\":\"celsius\"}"))),
            new Sample(ToolCallFormat.MISTRAL, "[TOOL_CALLS]get_time[CALL_ID]x7Yz0Qw12[ARGS]{\"zone\": \"UTC\"}",
                    null, List.of(call("get_time", "{\"zone\":\"UTC\"}"))),
            new Sample(ToolCallFormat.MISTRAL, "Paris is the capital of France [1].", "Paris is the capital of France [1].",
                    List.of()),
            // Granite 3.x
            new Sample(ToolCallFormat.GRANITE, "<|tool_call|>[{\"arguments\": {\"location\": \"Boston, MA\"}, \"name\": \"get_weather\"}]",
                    null, List.of(call("get_weather", "{\"location\":\"Boston, MA\"}"))),
            new Sample(ToolCallFormat.GRANITE, "Let me look that up.<|tool_call|>[{\"name\": \"get_time\", \"arguments\": {\"zone\": \"EST\"}}]",
                    "Let me look that up.", List.of(call("get_time", "{\"zone\":\"EST\"}"))),
            new Sample(ToolCallFormat.GRANITE, "I cannot check the weather | <|tool| >", "I cannot check the weather | <|tool| >",
                    List.of()),
            // ChatGLM4
            new Sample(ToolCallFormat.GLM4, "get_weather\n{\"location\": \"北京\", \"unit\": \"celsius\"}",
                    null, List.of(call("get_weather", "{\"location\":\"北京\",\"unit\":\"celsius\"}"))),
            new Sample(ToolCallFormat.GLM4, "get_weather\n{\"location\": \"Beijing\"}<|assistant|>get_time\n{\"zone\": \"Asia/Shanghai\"}",
                    null, List.of(call("get_weather", "{\"location\":\"Beijing\"}"),
                            call("get_time", "{\"zone\":\"Asia/Shanghai\"}"))),
            new Sample(ToolCallFormat.GLM4, "\n北京今天晴，气温 25 度。", "\n北京今天晴，气温 25 度。", List.of()),
            new Sample(ToolCallFormat.GLM4, "get started by telling me your city.", "get started by telling me your city.",
                    List.of()));

    @Test
    void eachFamilysOutputIsReadWhole() {
        for (Sample s : SAMPLES) {
            ToolCallParser.Result r = s.format().parser(TOOLS).parse(s.output());
            assertEquals(s.calls(), r.calls(), s.format() + ": " + s.output());
            assertEquals(s.content(), r.content(), s.format() + ": " + s.output());
        }
    }

    @Test
    void streamingSplitAtEveryBoundaryGivesTheSameContentAndCalls() {
        for (Sample s : SAMPLES) {
            String out = s.output();
            for (int k = 1; k < out.length(); k++) {
                check(s, List.of(out.substring(0, k), out.substring(k)), "split at " + k);
            }
            List<String> chars = new ArrayList<>();
            out.codePoints().forEach(c -> chars.add(Character.toString(c)));
            check(s, chars, "one character at a time");
        }
    }

    private static void check(Sample s, List<String> pieces, String how) {
        ToolCallParser p = s.format().parser(TOOLS);
        List<ToolCallParser.Event> events = new ArrayList<>();
        for (String piece : pieces) {
            events.addAll(p.push(piece));
        }
        events.addAll(p.finish());
        StringBuilder content = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (ToolCallParser.Event e : events) {
            switch (e) {
                case ToolCallParser.Content c -> {
                    assertFalse(c.text().isEmpty(), "no empty content events");
                    content.append(c.text());
                }
                case ToolCallParser.Call c -> calls.add(c.call());
            }
        }
        String where = s.format() + " " + how + ": " + s.output();
        assertEquals(s.calls(), calls, where);
        assertEquals(s.content() == null ? "" : s.content(), content.toString(), where);
        assertEquals(!s.calls().isEmpty(), p.sawCall(), where);
    }

    @Test
    void textThatMayStartACallIsHeldBackUntilDecided() {
        ToolCallParser p = ToolCallFormat.HERMES.parser(TOOLS);
        assertEquals(List.of(new ToolCallParser.Content("Checking")), p.push("Checking <tool_c"));
        assertEquals(List.of(), p.push("all>\n{\"name\": \"get_time\", \"arguments\": {\"zone\""));
        assertEquals(List.of(new ToolCallParser.Call(call("get_time", "{\"zone\":\"UTC\"}"))),
                p.push(": \"UTC\"}}\n</tool_call>"));
        assertEquals(List.of(), p.finish());

        ToolCallParser plain = ToolCallFormat.HERMES.parser(TOOLS);
        assertEquals(List.of(new ToolCallParser.Content("a")), plain.push("a <tool"), "a possible tag is held");
        assertEquals(List.of(new ToolCallParser.Content(" <tool")), plain.finish(), "and is text at the end");
    }

    @Test
    void aLlamaJsonAnswerIsHeldOnlyWhileItMayStillBeACall() {
        ToolCallParser p = ToolCallFormat.LLAMA3.parser(TOOLS);
        assertEquals(List.of(), p.push("{\"name\": \"get_"));
        assertEquals(List.of(new ToolCallParser.Content("{\"name\": \"get_x")), p.push("x"));
        ToolCallParser q = ToolCallFormat.LLAMA3.parser(TOOLS);
        assertEquals(List.of(new ToolCallParser.Content("{\"city\"")), q.push("{\"city\""));
    }

    @Test
    void aPlainAnswerKeepsItsTrailingWhitespaceButCallsDropTheirs() {
        ToolCallParser.Result plain = ToolCallFormat.HERMES.parser(TOOLS).parse("Hello  \n");
        assertEquals("Hello  \n", plain.content());
        ToolCallParser.Result call = ToolCallFormat.HERMES.parser(TOOLS)
                .parse("\n<tool_call>{\"name\": \"get_time\", \"arguments\": {}}</tool_call>\n");
        assertNull(call.content());
        assertEquals(1, call.calls().size());
    }

    @Test
    void unknownFunctionsAreNotCallsWhereTheFormatHasNoMarker() {
        assertTrue(ToolCallFormat.LLAMA3.parser(TOOLS).parse("{\"name\": \"launch_rocket\", \"parameters\": {}}")
                .calls().isEmpty());
        assertTrue(ToolCallFormat.GLM4.parser(TOOLS).parse("launch_rocket\n{}").calls().isEmpty());
        assertEquals("launch_rocket", ToolCallFormat.HERMES.parser(TOOLS)
                .parse("<tool_call>{\"name\": \"launch_rocket\", \"arguments\": {}}</tool_call>").calls().getFirst().name());
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
