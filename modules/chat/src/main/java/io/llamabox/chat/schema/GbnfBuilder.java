package io.llamabox.chat.schema;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GBNF grammar (llama.cpp's grammar format) under construction: named rules, each defined once. Rules
 * with the same body share one name, so a schema used in many places costs one rule.
 *
 * <pre>{@code
 * GbnfBuilder g = new GbnfBuilder();
 * String digit = g.define("digit", "[0-9]");
 * g.root(digit + "+");
 * String gbnf = g.build();
 * }</pre>
 */
public final class GbnfBuilder {
    private final Map<String, String> rules = new LinkedHashMap<>();
    private final Map<String, String> nameOfBody = new HashMap<>();

    /** A rule with this body: an existing one with the same body, or a new one named after {@code hint}. */
    public String define(String hint, String body) {
        String existing = nameOfBody.get(body);
        if (existing != null) {
            return existing;
        }
        String name = reserve(hint);
        rules.put(name, body);
        nameOfBody.put(body, name);
        return name;
    }

    /** A fresh rule name after {@code hint}, to be given its body later with {@link #set} (for recursion). */
    public String reserve(String hint) {
        String base = sanitize(hint);
        String name = base;
        for (int n = 2; rules.containsKey(name) || name.equals("root"); n++) {
            name = base + "-" + n;
        }
        rules.put(name, null);
        return name;
    }

    /** Gives a reserved rule its body. */
    public void set(String name, String body) {
        if (!rules.containsKey(name) || rules.get(name) != null) {
            throw new IllegalStateException("rule " + name + " is not reserved or already set");
        }
        rules.put(name, body);
        nameOfBody.putIfAbsent(body, name);
    }

    /** Defines {@code root}. */
    public void root(String body) {
        if (rules.containsKey("root")) {
            throw new IllegalStateException("root is already defined");
        }
        rules.put("root", body);
    }

    /** The grammar text, {@code root} first. */
    public String build() {
        String root = rules.get("root");
        if (root == null) {
            throw new IllegalStateException("the grammar has no root rule");
        }
        StringBuilder sb = new StringBuilder();
        sb.append("root ::= ").append(root).append('\n');
        for (Map.Entry<String, String> e : rules.entrySet()) {
            if (e.getKey().equals("root")) {
                continue;
            }
            if (e.getValue() == null) {
                throw new IllegalStateException("rule " + e.getKey() + " was reserved but never defined");
            }
            sb.append(e.getKey()).append(" ::= ").append(e.getValue()).append('\n');
        }
        return sb.toString();
    }

    /** {@code s} as a GBNF string literal. */
    public static String literal(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> appendCodePoint(sb, c);
            }
        });
        return sb.append('"').toString();
    }

    /** A code point in a GBNF literal or character class: printable ASCII as is, the rest escaped. */
    static void appendCodePoint(StringBuilder sb, int c) {
        if (c >= 0x20 && c < 0x7F) {
            sb.append((char) c);
        } else if (c < 0x80) {
            sb.append(String.format("\\x%02X", c));
        } else if (c <= 0xFFFF) {
            sb.append(String.format("\\u%04X", c));
        } else {
            sb.append(String.format("\\U%08X", c));
        }
    }

    private static String sanitize(String hint) {
        StringBuilder sb = new StringBuilder();
        for (char c : hint.toCharArray()) {
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
                sb.append(c);
            } else if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != '-') {
                sb.append('-');
            }
        }
        while (!sb.isEmpty() && sb.charAt(sb.length() - 1) == '-') {
            sb.setLength(sb.length() - 1);
        }
        if (sb.length() > 48) {
            sb.setLength(48);
        }
        return sb.isEmpty() ? "r" : sb.toString();
    }
}
