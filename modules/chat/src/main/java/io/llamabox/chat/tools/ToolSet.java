package io.llamabox.chat.tools;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llamabox.chat.schema.GbnfBuilder;
import io.llamabox.chat.schema.JsonSchemaGrammar;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tools of one request, with what every syntax needs: name lookup, call objects, argument grammars. */
final class ToolSet {
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final Map<String, ToolDefinition> byName = new LinkedHashMap<>();
    /** Scans of JSON in the unread output by where they start, resumed as the output grows. */
    private final Map<Integer, JsonScan> scans = new HashMap<>();

    ToolSet(List<ToolDefinition> tools) {
        for (ToolDefinition t : tools) {
            byName.put(t.name(), t);
        }
    }

    /** {@link JsonScan#container} for the parser's unread output, resuming an earlier scan from the same start. */
    int container(String buf, int start) {
        return scans.computeIfAbsent(start, JsonScan::new).resume(buf);
    }

    /** The parser consumed the start of its output: offsets changed, earlier scans no longer apply. */
    void forgetScans() {
        scans.clear();
    }

    List<ToolDefinition> all() {
        return List.copyOf(byName.values());
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    /** Whether {@code prefix} could still become a known function's name. */
    boolean namePrefix(String prefix) {
        for (String n : byName.keySet()) {
            if (n.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A call from a parsed JSON object {@code {"name": ..., "arguments"|"parameters": {...}}} (also nested in
     * {@code "function"}), or null when it is not one. Arguments given as a string holding a JSON object are
     * accepted; missing arguments are an empty object.
     */
    static ToolCall fromObject(JsonNode obj) {
        if (!(obj instanceof ObjectNode o)) {
            return null;
        }
        if (o.get("function") instanceof ObjectNode fn && !o.has("name")) {
            o = fn;
        }
        JsonNode name = o.get("name");
        if (name == null || !name.isTextual() || name.textValue().isEmpty()) {
            return null;
        }
        JsonNode args = o.has("arguments") ? o.get("arguments") : o.get("parameters");
        return withArguments(name.textValue(), args);
    }

    /** A call of {@code name} with arguments as parsed (an object, a string holding one, or null). */
    static ToolCall withArguments(String name, JsonNode args) {
        if (args == null || args.isNull()) {
            return new ToolCall(name, "{}");
        }
        if (args.isTextual()) {
            args = parse(args.textValue());
        }
        if (!(args instanceof ObjectNode)) {
            return null;
        }
        try {
            return new ToolCall(name, JSON.writeValueAsString(args));
        } catch (Exception e) {
            return null;
        }
    }

    /** The JSON value of a complete text, or null. */
    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    /** The grammar of a tool's arguments: its parameters' schema, or an empty object without one. */
    static String argumentsRule(GbnfBuilder g, ToolDefinition tool) {
        if (tool.parameters() == null) {
            String sp = JsonSchemaGrammar.space(g);
            return g.define("empty-object", "\"{\" " + sp + " \"}\"");
        }
        return JsonSchemaGrammar.addRules(g, tool.parameters(), tool.name() + "-args");
    }

    /**
     * A rule for the JSON call object of any of the tools: {@code {"name": "...", "<argsKey>": {...}}}.
     */
    String callObjectRule(GbnfBuilder g, String argsKey) {
        String sp = JsonSchemaGrammar.space(g);
        List<String> alts = new ArrayList<>();
        for (ToolDefinition t : byName.values()) {
            String args = argumentsRule(g, t);
            alts.add(g.define(t.name() + "-call", "\"{\" " + sp + " \"\\\"name\\\":\" " + sp + " "
                    + GbnfBuilder.literal("\"" + t.name() + "\"") + " \",\" " + sp + " "
                    + GbnfBuilder.literal("\"" + argsKey + "\":") + " " + sp + " " + args + " " + sp + " \"}\""));
        }
        return g.define("call", String.join(" | ", alts));
    }

    /** An alternation of the tool names for a regex (names are letters, digits, '_' and '-' only). */
    String nameRegex() {
        return String.join("|", byName.keySet());
    }

    /**
     * How much of the end of {@code buf} may be the beginning of {@code marker} (so must be held back):
     * the length of the longest proper suffix of buf that is a prefix of marker.
     */
    static int partialMarker(String buf, String marker) {
        int max = Math.min(buf.length(), marker.length() - 1);
        for (int k = max; k > 0; k--) {
            if (buf.regionMatches(buf.length() - k, marker, 0, k)) {
                return k;
            }
        }
        return 0;
    }

    /** Text up to a marker that may start later in buf: the step for everything before it. */
    static Step textBefore(String buf, String marker, boolean atEnd) {
        int i = buf.indexOf(marker);
        if (i > 0) {
            return new Step.Text(i);
        }
        if (i == 0) {
            throw new IllegalStateException("the marker is at the start");
        }
        int hold = atEnd ? 0 : partialMarker(buf, marker);
        return hold == buf.length() ? Step.WAIT : new Step.Text(buf.length() - hold);
    }
}
