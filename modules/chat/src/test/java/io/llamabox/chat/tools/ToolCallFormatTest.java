package io.llamabox.chat.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which format each real chat template implies, and the grammars each format writes. */
class ToolCallFormatTest {
    private static final Path FIXTURES = fixtures();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFormatIsRecognizedFromTheTemplate() throws Exception {
        Map<String, ToolCallFormat> expected = Map.ofEntries(
                Map.entry("qwen2.5-0.5b", ToolCallFormat.HERMES),
                Map.entry("qwen2-0.5b", ToolCallFormat.HERMES),
                Map.entry("qwq-32b", ToolCallFormat.HERMES),
                Map.entry("nous-hermes2-mixtral-8x7b", ToolCallFormat.HERMES),
                Map.entry("llama3.1-8b", ToolCallFormat.LLAMA3),
                Map.entry("llama3.2-vision-latest", ToolCallFormat.LLAMA3),
                Map.entry("llama3-8b", ToolCallFormat.LLAMA3),
                Map.entry("mistral-7b-instruct-fp16", ToolCallFormat.MISTRAL),
                Map.entry("mistral-large-123b", ToolCallFormat.MISTRAL),
                Map.entry("mixtral-8x22b", ToolCallFormat.MISTRAL),
                Map.entry("granite3.2-8b", ToolCallFormat.GRANITE),
                Map.entry("granite3.1-moe-1b", ToolCallFormat.GRANITE),
                Map.entry("glm4-9b", ToolCallFormat.GLM4),
                Map.entry("llama2-7b", ToolCallFormat.HERMES));
        for (Map.Entry<String, ToolCallFormat> e : expected.entrySet()) {
            String source = Files.readString(FIXTURES.resolve(e.getKey() + ".jinja"));
            assertEquals(e.getValue(), ToolCallFormat.forTemplate(source), e.getKey());
        }
        assertEquals(ToolCallFormat.LLAMA3, ToolCallFormat.forBuiltinTemplate("llama3"));
        assertEquals(ToolCallFormat.MISTRAL, ToolCallFormat.forBuiltinTemplate("mistral-v7"));
        assertEquals(ToolCallFormat.HERMES, ToolCallFormat.forBuiltinTemplate("chatml"));
    }

    private static final List<ToolDefinition> TOOLS = ToolDefinition.parseAll(json("""
            [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object",
              "properties": {"location": {"type": "string", "maxLength": 20}}, "required": ["location"]}}},
             {"type": "function", "function": {"name": "ping"}}]"""));

    @Test
    void requiredWritesTheCallFromTheFirstCharacter() {
        for (ToolCallFormat f : ToolCallFormat.values()) {
            ToolGrammar g = f.grammar(TOOLS, new ToolChoice.Required(), true, null).orElseThrow();
            assertFalse(g.lazy(), f.name());
            assertTrue(g.gbnf().startsWith("root ::= "), f.name());
            assertTrue(g.gbnf().contains("get_weather") && g.gbnf().contains("ping"), f.name() + "\n" + g.gbnf());
        }
        String hermes = ToolCallFormat.HERMES.grammar(TOOLS, new ToolChoice.Required(), true, null).orElseThrow().gbnf();
        assertTrue(hermes.contains("\"<tool_call>\""), hermes);
    }

    @Test
    void aNamedFunctionIsTheOnlyOneTheGrammarAllows() {
        for (ToolCallFormat f : ToolCallFormat.values()) {
            String g = f.grammar(TOOLS, new ToolChoice.Function("ping"), true, null).orElseThrow().gbnf();
            assertFalse(g.contains("get_weather"), f + "\n" + g);
            assertTrue(g.contains("ping"), f + "\n" + g);
        }
        assertThrows(IllegalArgumentException.class,
                () -> ToolCallFormat.HERMES.grammar(TOOLS, new ToolChoice.Function("nope"), true, null));
    }

    @Test
    void autoIsLazyAndTriggeredAtTheCallsOpening() {
        for (ToolCallFormat f : ToolCallFormat.values()) {
            ToolGrammar g = f.grammar(TOOLS, new ToolChoice.Auto(), true, null).orElseThrow();
            assertTrue(g.lazy(), f.name());
            assertFalse(g.triggerPatterns().isEmpty(), f.name());
            for (String p : g.triggerPatterns()) {
                java.util.regex.Pattern.compile(p);
            }
        }
        // llama.cpp searches the output for the patterns and starts the grammar at the first group
        String opening = "Let me check. <tool_call>\n{\"name\"";
        var m = java.util.regex.Pattern.compile(ToolCallFormat.HERMES.grammar(TOOLS, new ToolChoice.Auto(), true, null)
                .orElseThrow().triggerPatterns().getFirst()).matcher(opening);
        assertTrue(m.find());
        assertEquals("Let me check. ".length(), m.start(1));
        var glm = java.util.regex.Pattern.compile(ToolCallFormat.GLM4.grammar(TOOLS, new ToolChoice.Auto(), true, null)
                .orElseThrow().triggerPatterns().getFirst());
        assertTrue(glm.matcher("get_weather\n{").find());
        assertFalse(glm.matcher("I think get_weather\n{").find(), "only as the answer's start");
        var llama = java.util.regex.Pattern.compile(ToolCallFormat.LLAMA3.grammar(TOOLS, new ToolChoice.Auto(), true, null)
                .orElseThrow().triggerPatterns().getFirst());
        assertTrue(llama.matcher("\n{\"name\": \"ping\", \"para").find());
        assertFalse(llama.matcher("Call {\"name\": \"ping\"").find(), "only as the answer's start");
        for (ToolCallFormat f : ToolCallFormat.values()) {
            for (String p : f.grammar(TOOLS, new ToolChoice.Auto(), true, null).orElseThrow().triggerPatterns()) {
                assertFalse(p.contains("[\\s\\S]*"), "no backtracking wrappers: " + p);
            }
        }
    }

    @Test
    void noneAndNoToolsNeedNoGrammar() {
        assertTrue(ToolCallFormat.HERMES.grammar(TOOLS, new ToolChoice.None(), true, null).isEmpty());
        assertTrue(ToolCallFormat.HERMES.grammar(List.of(), new ToolChoice.Auto(), true, null).isEmpty());
    }

    @Test
    void autoWithAContentSchemaAllowsEitherTheJsonAnswerOrCalls() {
        ToolGrammar g = ToolCallFormat.MISTRAL.grammar(TOOLS, new ToolChoice.Auto(), false,
                json("{\"type\": \"object\", \"properties\": {\"answer\": {\"type\": \"integer\"}}}")).orElseThrow();
        assertFalse(g.lazy());
        assertTrue(g.gbnf().contains("[TOOL_CALLS]") && g.gbnf().contains("answer"), g.gbnf());
    }

    @Test
    void toolDefinitionsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> ToolDefinition.parseAll(json(
                "[{\"type\": \"function\", \"function\": {\"name\": \"has space\"}}]")));
        assertThrows(IllegalArgumentException.class, () -> ToolDefinition.parseAll(json(
                "[{\"type\": \"retrieval\", \"function\": {\"name\": \"x\"}}]")));
        assertThrows(IllegalArgumentException.class, () -> ToolDefinition.parseAll(json(
                "[{\"type\": \"function\", \"function\": {\"name\": \"x\"}}, {\"function\": {\"name\": \"x\"}}]")));
        assertThrows(IllegalArgumentException.class, () -> ToolDefinition.parseAll(json(
                "[{\"type\": \"function\", \"function\": {\"name\": \"x\", \"parameters\": \"yes\"}}]")));
        assertThrows(IllegalArgumentException.class, () -> ToolChoice.parse(json("\"sometimes\"")));
        assertEquals(new ToolChoice.Function("f"), ToolChoice.parse(json("{\"type\": \"function\", \"function\": {\"name\": \"f\"}}")));
    }

    /** {@code -Dllamabox.chat.fixtures}, else {@code shared/fixtures/chat-templates} in the nearest directory above. */
    static Path fixtures() {
        String prop = System.getProperty("llamabox.chat.fixtures");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/fixtures/chat-templates");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no shared/fixtures/chat-templates above " + Path.of("").toAbsolutePath());
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
