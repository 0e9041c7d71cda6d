package io.llamabox.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How requests are shaped before a template sees them, and how failures are reported. */
class ChatTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SpecialTokens TOKENS = new SpecialTokens("<s>", "</s>", true, false);

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String apply(String template, String messages) {
        return ChatTemplate.jinja(template, TOKENS).apply(ChatRequest.of(json(messages)));
    }

    private static final String EACH = "{% for m in messages %}[{{ m.role }}:{{ m.content }}]{% endfor %}";

    @Test
    void systemMessageIsMergedIntoTheNextMessageWhenTheTemplateIgnoresIt() {
        String userOnly = "{% for m in messages %}{% if m.role == 'user' %}[{{ m.content }}]{% endif %}{% endfor %}";
        ChatTemplate t = ChatTemplate.jinja(userOnly, TOKENS);
        assertFalse(t.capabilities().systemRole());
        assertEquals("[Be brief.\nHi]", t.apply(ChatRequest.of(json("""
                [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]"""))));
        assertEquals("", t.apply(ChatRequest.of(json("[{\"role\": \"system\", \"content\": \"alone\"}]"))));
    }

    @Test
    void systemMessageStaysWhenTheTemplateReadsIt() {
        assertEquals("[system:S][user:U]", apply(EACH, """
                [{"role": "system", "content": "S"}, {"role": "user", "content": "U"}]"""));
    }

    @Test
    void contentPartsAreJoinedWithNewlinesForTemplatesThatReadStrings() {
        assertEquals("[user:a\nb]", apply(EACH, """
                [{"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}]"""));
        assertEquals("[user:<img>b]", apply(EACH, """
                [{"role": "user", "content": [{"type": "media_marker", "text": "<img>"}, {"type": "text", "text": "b"}]}]"""));
    }

    @Test
    void contentPartsStayPartsForTemplatesThatReadPartsAndStringsBecomeParts() {
        String partsOnly = "{% for m in messages %}{% for p in m.content %}<{{ p.type }}:{{ p.text }}>{% endfor %}{% endfor %}";
        ChatTemplate t = ChatTemplate.jinja(partsOnly, TOKENS);
        assertTrue(t.capabilities().typedContent());
        assertFalse(t.capabilities().stringContent());
        assertEquals("<text:plain><text:a><text:b>", t.apply(ChatRequest.of(json("""
                [{"role": "user", "content": "plain"},
                 {"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}]"""))));
    }

    @Test
    void developerRoleBecomesSystem() {
        assertEquals("[system:D]", apply(EACH, "[{\"role\": \"developer\", \"content\": \"D\"}]"));
    }

    @Test
    void messagesKeepOnlyTheFieldsThePeerKeeps() {
        assertEquals("{\"role\": \"assistant\", \"content\": \"\", \"reasoning_content\": \"r\", \"name\": \"n\", "
                        + "\"tool_calls\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"arguments\": \"{\\\"a\\\":1}\"}, "
                        + "\"id\": \"c1\"}]}",
                apply("{{ messages[0] | tojson }}", """
                        [{"role": "assistant", "content": null, "reasoning_content": "r", "name": "n", "extra": 1,
                          "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": {"a": 1}}}]}]"""));
    }

    @Test
    void toolCallArgumentsBecomeObjectsForTemplatesThatReadThem() {
        String readsArgs = "{% for m in messages %}{% for c in m.tool_calls %}{{ c.function.arguments | tojson }}"
                + "{% endfor %}{% endfor %}";
        ChatTemplate t = ChatTemplate.jinja(readsArgs, TOKENS);
        assertTrue(t.capabilities().objectArguments());
        String messages = """
                [{"role": "assistant", "content": null,
                  "tool_calls": [{"type": "function", "function": {"name": "f", "arguments": "{\\"city\\": \\"Paris\\"}"}}]}]""";
        assertEquals("{\"city\": \"Paris\"}", t.apply(ChatRequest.of(json(messages))));
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> t.apply(ChatRequest.of(json("""
                [{"role": "assistant", "content": null,
                  "tool_calls": [{"type": "function", "function": {"name": "f", "arguments": "{not json"}}]}]"""))));
        assertEquals(ChatTemplateException.Reason.INVALID_REQUEST, e.reason());

        String printsArgs = "{% for m in messages %}{% for c in m.tool_calls %}{{ c.function.arguments }}{% endfor %}{% endfor %}";
        assertEquals("{\"city\": \"Paris\"}", ChatTemplate.jinja(printsArgs, TOKENS).apply(ChatRequest.of(json(messages))));
        assertFalse(ChatTemplate.jinja(printsArgs, TOKENS).capabilities().objectArguments());
    }

    @Test
    void toolsAreReducedToTypeNameDescriptionAndParameters() {
        String out = ChatTemplate.jinja("{{ tools | tojson }}", TOKENS).apply(ChatRequest.of(json("[]")).withTools(json("""
                [{"type": "function", "function": {"name": "f", "strict": true}}]""")));
        assertEquals("[{\"type\": \"function\", \"function\": {\"name\": \"f\", \"description\": \"\", \"parameters\": {}}}]", out);
        assertEquals("no tools", ChatTemplate.jinja("{% if tools is defined %}tools{% else %}no tools{% endif %}", TOKENS)
                .apply(ChatRequest.of(json("[]")).withTools(json("[]"))));
    }

    @Test
    void addGenerationPromptIsUndefinedWhenNotWanted() {
        ChatTemplate t = ChatTemplate.jinja("{{ add_generation_prompt is defined }}", TOKENS);
        assertEquals("True", t.apply(ChatRequest.of(json("[]"))));
        assertEquals("False", t.apply(ChatRequest.of(json("[]")).withGenerationPrompt(false)));
    }

    @Test
    void enableThinkingIsUndefinedUnlessGiven() {
        ChatTemplate t = ChatTemplate.jinja("{{ enable_thinking if enable_thinking is defined else 'unset' }}", TOKENS);
        assertEquals("unset", t.apply(ChatRequest.of(json("[]"))));
        assertEquals("False", t.apply(ChatRequest.of(json("[]")).withEnableThinking(false)));
    }

    @Test
    void templateKwargsAreVariablesButCannotReplaceSpecialTokens() {
        ChatTemplate t = ChatTemplate.jinja("{{ custom.a }}|{{ bos_token }}|{{ eos_token }}", new SpecialTokens("<s>", "</s>", false, false));
        assertEquals("1|<s>|</s>", t.apply(ChatRequest.of(json("[]")).withTemplateKwargs(Map.of(
                "custom", json("{\"a\": 1}"), "bos_token", json("\"B\""), "eos_token", json("\"E\"")))));
    }

    @Test
    void leadingBosAndTrailingEosAreDroppedWhenTheTokenizerAddsThem() {
        String t = "{{ bos_token }}{{ bos_token }}A{{ eos_token }}";
        assertEquals("<s>A</s>", ChatTemplate.jinja(t, new SpecialTokens("<s>", "</s>", true, false)).apply(ChatRequest.of(json("[]"))));
        assertEquals("<s><s>A", ChatTemplate.jinja(t, new SpecialTokens("<s>", "</s>", false, true)).apply(ChatRequest.of(json("[]"))));
    }

    @Test
    void dateVariablesAndStrftimeNowReadTheClock() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-09T10:00:00Z"), ZoneOffset.UTC);
        ChatTemplate t = ChatTemplate.jinja("{{ datetime }}|{{ date_string }}|{{ strftime_now('%Y-%m-%d') }}", TOKENS)
                .withClock(clock);
        assertEquals("Jan 09 2026|09 Jan 2026|2026-01-09", t.apply(ChatRequest.of(json("[]"))));
    }

    @Test
    void malformedMessagesAreInvalidRequests() {
        for (String bad : new String[] {
                "{\"role\": \"user\"}",
                "[{\"content\": \"no role\"}]",
                "[{\"role\": \"user\", \"content\": 5}]",
                "[{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", \"image_url\": {\"url\": \"x\"}}]}]",
                "[{\"role\": \"assistant\", \"content\": null}]",
                "[{\"role\": \"user\"}]",
                "[{\"role\": \"assistant\", \"tool_calls\": [{\"type\": \"custom\"}]}]"}) {
            ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> apply(EACH, bad), bad);
            assertEquals(ChatTemplateException.Reason.INVALID_REQUEST, e.reason(), bad);
        }
    }

    @Test
    void raiseExceptionRefusesTheConversationWithTheTemplatesMessage() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> apply(
                "{% if messages[0].role != 'user' %}{{ raise_exception('Conversation must start with a user message') }}{% endif %}",
                "[{\"role\": \"assistant\", \"content\": \"x\"}]"));
        assertEquals(ChatTemplateException.Reason.REFUSED_BY_TEMPLATE, e.reason());
        assertEquals("Conversation must start with a user message", e.getMessage());
    }

    @Test
    void renderingFailuresSayWhereTheTemplateFailed() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> apply("ok\n{{ messages | nope }}", "[]"));
        assertEquals(ChatTemplateException.Reason.RENDER_FAILED, e.reason());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void invalidTemplateSourceIsRejectedWhenLoaded() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> ChatTemplate.jinja("{% for m in messages %}", TOKENS));
        assertEquals(ChatTemplateException.Reason.INVALID_TEMPLATE, e.reason());
    }

    @Test
    void builtinNamesAreTheSpecList() {
        assertEquals(java.util.List.of("chatglm3", "chatglm4", "chatml", "command-r", "deepseek", "deepseek2", "deepseek3",
                "exaone3", "falcon", "falcon3", "gemma", "gigachat", "granite", "llama2", "llama2-sys", "llama2-sys-bos",
                "llama2-sys-strip", "llama3", "llava", "llava-mistral", "megrez", "minicpm", "mistral-v1", "mistral-v3",
                "mistral-v3-tekken", "mistral-v7", "monarch", "openchat", "orion", "phi3", "phi4", "rwkv-world", "vicuna",
                "vicuna-orca", "zephyr"), ChatTemplate.builtinNames());
        assertTrue(ChatTemplate.isBuiltinName("chatml"));
        assertFalse(ChatTemplate.isBuiltinName("{{ messages }}"));
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> ChatTemplate.builtin("nope"));
        assertEquals(ChatTemplateException.Reason.INVALID_TEMPLATE, e.reason());
    }

    @Test
    void builtinTemplatesCannotDescribeTools() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> ChatTemplate.builtin("chatml").apply(
                ChatRequest.of(json("[{\"role\": \"user\", \"content\": \"hi\"}]")).withTools(json("""
                        [{"type": "function", "function": {"name": "f"}}]"""))));
        assertEquals(ChatTemplateException.Reason.INVALID_REQUEST, e.reason());
    }
}
