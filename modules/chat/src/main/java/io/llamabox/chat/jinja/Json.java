package io.llamabox.chat.jinja;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversion between Jackson trees and template values, and {@code tojson} output. */
public final class Json {

    private Json() {
    }

    /** A template value of a JSON tree: objects become insertion-ordered maps, arrays lists, numbers Long or Double. */
    public static Object fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : (Object) node.doubleValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>(node.size());
            for (JsonNode item : node) {
                out.add(fromJson(item));
            }
            return out;
        }
        if (node.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.put(e.getKey(), fromJson(e.getValue()));
            }
            return out;
        }
        return node.asText();
    }

    /** Options of the {@code tojson} filter; defaults are Python's {@code json.dumps} with ensure_ascii off. */
    record Style(String indent, boolean ensureAscii, String itemSeparator, String keySeparator, boolean sortKeys) {
        static final Style COMPACT_PY = new Style(null, false, ", ", ": ", false);
    }

    static String dumps(Object value, Style style) {
        StringBuilder sb = new StringBuilder();
        write(value, style, sb, 0);
        return sb.toString();
    }

    private static void write(Object v, Style style, StringBuilder sb, int level) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (v instanceof Long l) {
            sb.append(l.longValue());
        } else if (v instanceof Double d) {
            if (d.isNaN()) {
                sb.append("NaN");
            } else if (d.isInfinite()) {
                sb.append(d > 0 ? "Infinity" : "-Infinity");
            } else {
                sb.append(PyFormat.floatRepr(d));
            }
        } else if (v instanceof String s) {
            string(s, style.ensureAscii(), sb);
        } else if (v instanceof List<?> list) {
            if (list.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(style.itemSeparator());
                }
                newline(style, sb, level + 1);
                write(list.get(i), style, sb, level + 1);
            }
            newline(style, sb, level);
            sb.append(']');
        } else if (v instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                sb.append("{}");
                return;
            }
            List<? extends Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
            if (style.sortKeys()) {
                entries.sort(Comparator.comparing(e -> keyText(e.getKey()), Values::compareStrings));
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : entries) {
                if (!first) {
                    sb.append(style.itemSeparator());
                }
                first = false;
                newline(style, sb, level + 1);
                string(keyText(e.getKey()), style.ensureAscii(), sb);
                sb.append(style.keySeparator());
                write(e.getValue(), style, sb, level + 1);
            }
            newline(style, sb, level);
            sb.append('}');
        } else if (v instanceof Undefined u) {
            throw new EvalError("Object of type Undefined is not JSON serializable (" + u.describe() + ")");
        } else {
            throw new EvalError("Object of type " + Values.typeName(v) + " is not JSON serializable");
        }
    }

    private static String keyText(Object key) {
        if (key instanceof String s) {
            return s;
        }
        if (key == null) {
            return "null";
        }
        if (key instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (key instanceof Long || key instanceof Double) {
            return Values.repr(key);
        }
        throw new EvalError("keys must be str, int, float, bool or None, not " + Values.typeName(key));
    }

    private static void newline(Style style, StringBuilder sb, int level) {
        if (style.indent() != null) {
            sb.append('\n');
            sb.append(style.indent().repeat(level));
        }
    }

    static void string(String s, boolean ensureAscii, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
