package io.llamabox.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One message of a request, reduced to the fields the peer keeps: everything else in the JSON is dropped
 * before a template sees it.
 */
record ChatMessage(String role, String content, List<Part> parts, String reasoningContent, String name,
                   String toolCallId, List<ToolCall> toolCalls) {

    /** A content part: {@code text}, or the peer's {@code media_marker} (the text that stands for an image). */
    record Part(String type, String text) {
    }

    /** An assistant tool call; {@code arguments} is JSON text, {@code id} may be empty. */
    record ToolCall(String id, String name, String arguments) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static List<ChatMessage> parseAll(JsonNode messages) {
        if (messages == null || !messages.isArray()) {
            throw invalid("'messages' must be an array");
        }
        List<ChatMessage> out = new ArrayList<>(messages.size());
        int index = 0;
        for (JsonNode m : messages) {
            out.add(parse(m, index++));
        }
        return out;
    }

    private static ChatMessage parse(JsonNode m, int index) {
        String where = "message " + index;
        if (!m.isObject()) {
            throw invalid(where + " must be an object");
        }
        JsonNode roleNode = m.get("role");
        if (roleNode == null || !roleNode.isTextual()) {
            throw invalid(where + " has no 'role' string");
        }
        String role = roleNode.textValue();
        boolean hasContent = m.has("content");
        boolean hasToolCalls = m.has("tool_calls");
        String content = "";
        List<Part> parts = List.of();
        JsonNode c = m.get("content");
        if (c != null && !c.isNull()) {
            if (c.isTextual()) {
                content = c.textValue();
            } else if (c.isArray()) {
                parts = new ArrayList<>();
                for (JsonNode p : c) {
                    parts.add(part(p, where));
                }
            } else {
                throw invalid(where + ": 'content' must be a string, an array of parts or null");
            }
        }
        List<ToolCall> calls = List.of();
        JsonNode tc = m.get("tool_calls");
        if (tc != null && !tc.isNull()) {
            if (!tc.isArray()) {
                throw invalid(where + ": 'tool_calls' must be an array");
            }
            calls = new ArrayList<>();
            for (JsonNode call : tc) {
                calls.add(toolCall(call, where));
            }
        }
        if (!hasContent && !hasToolCalls) {
            throw invalid(where + " has neither 'content' nor 'tool_calls'");
        }
        if (role.equals("assistant") && (c == null || c.isNull()) && calls.isEmpty()) {
            throw invalid(where + ": an assistant message must have 'content' or 'tool_calls'");
        }
        return new ChatMessage(role, content, parts, text(m, "reasoning_content", where), text(m, "name", where),
                text(m, "tool_call_id", where), calls);
    }

    private static String text(JsonNode m, String field, String where) {
        JsonNode v = m.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw invalid(where + ": '" + field + "' must be a string");
        }
        return v.textValue();
    }

    private static Part part(JsonNode p, String where) {
        JsonNode type = p.get("type");
        if (!p.isObject() || type == null || !type.isTextual()) {
            throw invalid(where + ": a content part has no 'type'");
        }
        String t = type.textValue();
        if (!t.equals("text") && !t.equals("media_marker")) {
            throw invalid(where + ": unsupported content part type '" + t + "'");
        }
        JsonNode text = p.get("text");
        if (text == null || !text.isTextual()) {
            throw invalid(where + ": a '" + t + "' part needs a 'text' string");
        }
        return new Part(t, text.textValue());
    }

    private static ToolCall toolCall(JsonNode call, String where) {
        if (!call.isObject()) {
            throw invalid(where + ": a tool call must be an object");
        }
        JsonNode type = call.get("type");
        if (type == null || !"function".equals(type.asText(null))) {
            throw invalid(where + ": a tool call needs \"type\": \"function\"");
        }
        JsonNode fn = call.get("function");
        if (fn == null || !fn.isObject() || fn.get("name") == null || !fn.get("name").isTextual()) {
            throw invalid(where + ": a tool call needs a 'function' with a 'name'");
        }
        JsonNode args = fn.get("arguments");
        String arguments;
        if (args == null || args.isNull()) {
            throw invalid(where + ": tool call '" + fn.get("name").textValue() + "' has no 'arguments'");
        } else if (args.isTextual()) {
            arguments = args.textValue();
        } else {
            try {
                arguments = MAPPER.writeValueAsString(args);
            } catch (JsonProcessingException e) {
                throw invalid(where + ": tool call arguments cannot be written as JSON");
            }
        }
        JsonNode id = call.get("id");
        return new ToolCall(id != null && id.isTextual() ? id.textValue() : "", fn.get("name").textValue(), arguments);
    }

    /** The tools of a request, each reduced to type, name, description and parameters, in that order. */
    static List<Object> parseTools(JsonNode tools) {
        List<Object> out = new ArrayList<>();
        if (tools == null || tools.isNull()) {
            return out;
        }
        if (!tools.isArray()) {
            throw invalid("'tools' must be an array");
        }
        for (JsonNode tool : tools) {
            JsonNode type = tool.get("type");
            if (type == null || !"function".equals(type.asText(null))) {
                throw invalid("unsupported tool type, only \"function\" tools are supported: " + tool);
            }
            JsonNode fn = tool.get("function");
            if (fn == null || !fn.isObject() || fn.get("name") == null || !fn.get("name").isTextual()) {
                throw invalid("a tool needs a 'function' with a 'name': " + tool);
            }
            Map<String, Object> function = new java.util.LinkedHashMap<>();
            function.put("name", fn.get("name").textValue());
            JsonNode description = fn.get("description");
            function.put("description", description == null || description.isNull() ? "" : description.asText());
            JsonNode parameters = fn.get("parameters");
            function.put("parameters", parameters == null || parameters.isNull()
                    ? new java.util.LinkedHashMap<String, Object>()
                    : io.llamabox.chat.jinja.Json.fromJson(parameters));
            Map<String, Object> t = new java.util.LinkedHashMap<>();
            t.put("type", "function");
            t.put("function", function);
            out.add(t);
        }
        return out;
    }

    /** Parses tool-call arguments into a template value; malformed JSON is a request error. */
    static Object parseArguments(String arguments) {
        try {
            JsonNode node = MAPPER.readTree(arguments);
            if (node == null) {
                throw invalid("tool call arguments are empty");
            }
            return io.llamabox.chat.jinja.Json.fromJson(node);
        } catch (JsonProcessingException e) {
            throw invalid("tool call arguments are not valid JSON: " + e.getOriginalMessage());
        }
    }

    static ChatTemplateException invalid(String message) {
        return new ChatTemplateException(ChatTemplateException.Reason.INVALID_REQUEST, message);
    }

    /** Content text: the string content, else the text parts joined with newlines (not around media markers). */
    String joinedContent() {
        if (!content.isEmpty() || parts.isEmpty()) {
            return content;
        }
        StringBuilder sb = new StringBuilder();
        boolean lastWasMarker = false;
        for (Part p : parts) {
            boolean newline;
            if (p.type().equals("text")) {
                newline = !lastWasMarker && !sb.isEmpty();
                lastWasMarker = false;
            } else {
                newline = false;
                lastWasMarker = true;
            }
            if (newline) {
                sb.append('\n');
            }
            sb.append(p.text());
        }
        return sb.toString();
    }
}
