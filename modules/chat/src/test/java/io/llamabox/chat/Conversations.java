package io.llamabox.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The fixed conversations templates are compared on, as bodies of the peer's {@code POST /apply-template}. */
final class Conversations {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A named request body. */
    record Conversation(String name, ObjectNode body) {

        /** The same request for {@link ChatTemplate#apply}. */
        ChatRequest request() {
            JsonNode agp = body.get("add_generation_prompt");
            Map<String, JsonNode> kwargs = new LinkedHashMap<>();
            JsonNode kw = body.get("chat_template_kwargs");
            if (kw != null) {
                for (Map.Entry<String, JsonNode> e : kw.properties()) {
                    kwargs.put(e.getKey(), e.getValue());
                }
            }
            JsonNode thinking = kwargs.get("enable_thinking");
            return ChatRequest.of(body.get("messages"))
                    .withTools(body.get("tools"))
                    .withGenerationPrompt(agp == null || agp.asBoolean())
                    .withEnableThinking(thinking == null ? null : thinking.asBoolean())
                    .withTemplateKwargs(kwargs);
        }

        boolean hasTools() {
            return body.has("tools");
        }
    }

    private Conversations() {
    }

    private static final String TOOLS = """
            [{"type": "function", "function": {"name": "get_weather", "description": "Get the current weather for a city",
              "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "City name"},
              "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}, "required": ["city"]}}},
             {"type": "function", "function": {"name": "get_time", "description": "Local time in a time zone",
              "parameters": {"type": "object", "properties": {"zone": {"type": "string"}}, "required": ["zone"]},
              "strict": true}}]""";
    private static final String SYS = """
            {"role": "system", "content": "You are a helpful assistant."}""";
    private static final String U1 = """
            {"role": "user", "content": "Hello there!"}""";
    private static final String A1 = """
            {"role": "assistant", "content": "Hi! How can I help you today?"}""";
    private static final String U2 = """
            {"role": "user", "content": "What's the weather in Paris?"}""";
    private static final String CALL = """
            {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
             "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\", \\"unit\\": \\"celsius\\"}"}}]}""";
    private static final String RESULT = """
            {"role": "tool", "tool_call_id": "call_1", "name": "get_weather", "content": "{\\"temperature\\": 21}"}""";
    private static final String A2 = """
            {"role": "assistant", "content": "It is 21 °C in Paris."}""";
    private static final String U3 = """
            {"role": "user", "content": "Thanks! And in \\"Tokyo\\"?"}""";
    private static final String PARALLEL = """
            {"role": "assistant", "content": "Let me check both.", "tool_calls": [
             {"id": "call_a", "type": "function", "function": {"name": "get_weather", "arguments": {"city": "Oslo"}}},
             {"id": "call_b", "type": "function", "function": {"name": "get_time", "arguments": "{\\"zone\\": \\"Europe/Oslo\\"}"}}]}""";
    private static final String PARALLEL_RESULTS = """
            {"role": "tool", "tool_call_id": "call_a", "content": "cloudy, 4 degrees"},
            {"role": "tool", "tool_call_id": "call_b", "content": "14:05"}""";

    private static Conversation conv(String name, String messages, String extra) {
        String body = "{\"messages\": [" + messages + "]" + (extra.isEmpty() ? "" : ", " + extra) + "}";
        try {
            return new Conversation(name, (ObjectNode) JSON.readTree(body));
        } catch (Exception e) {
            throw new IllegalStateException("bad conversation " + name, e);
        }
    }

    /** Conversations ending with a user or tool message, with and without system prompt, tools, parts... */
    static List<Conversation> all() {
        return List.of(
                conv("single_user", U1, ""),
                conv("system_only", SYS, ""),
                conv("system_and_user", SYS + "," + U1, ""),
                conv("multi_turn", SYS + "," + U1 + "," + A1 + "," + U2, ""),
                conv("multi_turn_without_generation_prompt", SYS + "," + U1 + "," + A1 + "," + U2,
                        "\"add_generation_prompt\": false"),
                conv("multi_turn_without_system", U1 + "," + A1 + "," + U2, ""),
                conv("content_parts", """
                        {"role": "system", "content": [{"type": "text", "text": "Be brief."}]},
                        {"role": "user", "content": [{"type": "text", "text": "First part."},
                                                     {"type": "text", "text": "Second part."}]},
                        {"role": "assistant", "content": [{"type": "text", "text": "Noted."}]},
                        {"role": "user", "content": "Go on."}""", ""),
                conv("tools_offered", SYS + "," + U2, "\"tools\": " + TOOLS),
                conv("tool_call_and_result", U2 + "," + CALL + "," + RESULT, "\"tools\": " + TOOLS),
                conv("tool_round_trip", SYS + "," + U2 + "," + CALL + "," + RESULT + "," + A2 + "," + U3,
                        "\"tools\": " + TOOLS),
                conv("tool_round_trip_without_generation_prompt", U2 + "," + CALL + "," + RESULT + "," + A2 + "," + U3,
                        "\"tools\": " + TOOLS + ", \"add_generation_prompt\": false"),
                conv("parallel_tool_calls", U2 + "," + PARALLEL + "," + PARALLEL_RESULTS, "\"tools\": " + TOOLS),
                conv("whitespace_and_unicode", """
                        {"role": "system", "content": "  Réponds en français.\\n"},
                        {"role": "user", "content": "  Grüße, 世界! <tag> & 'quotes' \\"double\\"\\n\\n\\ttab  "}""", ""),
                conv("consecutive_user_messages", U1 + "," + U2, ""),
                conv("long_history_without_generation_prompt", SYS + "," + U1 + "," + A1 + "," + U2 + "," + A2 + "," + U3 + ","
                        + A1 + "," + U1 + "," + A2 + "," + U3, "\"add_generation_prompt\": false"),
                conv("thinking_disabled", U1, "\"chat_template_kwargs\": {\"enable_thinking\": false}"),
                conv("thinking_enabled", SYS + "," + U1, "\"chat_template_kwargs\": {\"enable_thinking\": true}"),
                conv("reasoning_in_history", """
                        {"role": "user", "content": "2+2?"},
                        {"role": "assistant", "content": "4", "reasoning_content": "Adding two and two."},
                        {"role": "user", "content": "And 3+3?"}""", ""),
                conv("developer_role", """
                        {"role": "developer", "content": "Answer in one word."}""" + "," + U2, ""),
                conv("tool_call_without_id", U2 + "," + """
                        {"role": "assistant", "content": "", "tool_calls": [{"type": "function",
                         "function": {"name": "get_weather", "arguments": {"city": "Rome"}}}]},
                        {"role": "tool", "content": "sunny"}""", "\"tools\": " + TOOLS));
    }
}
