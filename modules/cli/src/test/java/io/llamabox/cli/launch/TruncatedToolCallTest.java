package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A forced tool call cut by {@code max_tokens} used to return the complete calls and the unfinished one's
 * raw markup ({@code <tool_call>...}) in {@code content}. Now: finish_reason {@code length}, the calls
 * completed before the cut, and no markup anywhere in the content, whole or streamed, in every family.
 */
class TruncatedToolCallTest {
    private static final List<String> MARKUP = List.of("<tool_call", "[TOOL_CALLS]", "<|tool_call|>", "<|python_tag|>",
            "{\"name\"", "get_weather", "set_alarm");

    @Test
    void aForcedCallCutByTheTokenLimitLeavesNoMarkupInTheContent() throws Exception {
        for (Map.Entry<String, ?> family : ToolChoiceTest.FAMILIES.entrySet()) {
            String template = family.getKey();
            try (RunningBox box = new RunningBox("-m", ToolChoiceTest.model(template).toString(), "-c", "2048",
                    "-np", "1")) {
                for (int limit : new int[] {2, 6, 11, 40}) {
                    String where = template + " max_tokens " + limit;
                    String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}],\"tools\":"
                            + ToolChoiceTest.TOOLS + ",\"tool_choice\":\"required\",\"parallel_tool_calls\":true,"
                            + "\"seed\":7,\"temperature\":1.0,\"max_tokens\":" + limit;
                    HttpResponse<String> whole = box.post("/v1/chat/completions", body + "}");
                    assertEquals(200, whole.statusCode(), where + ": " + whole.body());
                    JsonNode choice = JsonSchemas.parse(whole.body(), where).at("/choices/0");
                    assertEquals("length", choice.get("finish_reason").asText(), where + ": " + whole.body());
                    assertNoMarkup(choice.at("/message/content").asText(""), where);
                    for (JsonNode call : choice.at("/message/tool_calls")) {
                        JsonSchemas.parse(call.at("/function/arguments").asText(), where + ": a complete call");
                    }
                    HttpResponse<String> streamed = box.post("/v1/chat/completions", body + ",\"stream\":true}");
                    StringBuilder content = new StringBuilder();
                    String finish = null;
                    for (JsonNode chunk : JsonSchemas.chunks(streamed.body())) {
                        content.append(chunk.at("/choices/0/delta/content").asText(""));
                        if (chunk.at("/choices/0/finish_reason").isTextual()) {
                            finish = chunk.at("/choices/0/finish_reason").asText();
                        }
                    }
                    assertEquals("length", finish, where + " streamed");
                    assertNoMarkup(content.toString(), where + " streamed");
                }
            }
        }
    }

    private static void assertNoMarkup(String content, String where) {
        for (String m : MARKUP) {
            assertFalse(content.contains(m), where + ": markup in the content: " + content);
        }
        assertTrue(content.isBlank(), where + ": a forced call writes no text: " + content);
    }
}
