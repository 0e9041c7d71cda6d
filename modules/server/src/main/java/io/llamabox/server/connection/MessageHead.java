package io.llamabox.server.connection;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The start line and header fields of an HTTP/1.x message, read as ISO-8859-1 (the octets of RFC 9112)
 * so that rewriting them changes no byte it does not mean to.
 */
record MessageHead(String startLine, List<Field> fields) {
    static final byte[] END = {'\r', '\n', '\r', '\n'};

    record Field(String name, String value) {
        boolean is(String other) {
            return name.equalsIgnoreCase(other);
        }
    }

    /** Parses a head that ends with its blank line; null when a field line has no colon. */
    static MessageHead parse(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n");
        List<Field> fields = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                return null;
            }
            fields.add(new Field(lines[i].substring(0, colon), lines[i].substring(colon + 1).trim()));
        }
        return new MessageHead(lines[0], fields);
    }

    boolean has(String name) {
        return fields.stream().anyMatch(f -> f.is(name));
    }

    String first(String name) {
        return fields.stream().filter(f -> f.is(name)).map(Field::value).findFirst().orElse(null);
    }

    /** Whether a comma-separated field (such as {@code Connection}) lists the option. */
    boolean lists(String name, String option) {
        for (Field f : fields) {
            if (f.is(name)) {
                for (String o : f.value().split(",")) {
                    if (o.trim().toLowerCase(Locale.ROOT).equals(option)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The head with another start line, without the named fields, with {@code added} at the end. */
    byte[] rewrite(String newStartLine, List<String> dropped, List<Field> added) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        line(out, newStartLine);
        for (Field f : fields) {
            if (dropped.stream().noneMatch(f::is)) {
                line(out, f.name() + ": " + f.value());
            }
        }
        for (Field f : added) {
            line(out, f.name() + ": " + f.value());
        }
        line(out, "");
        return out.toByteArray();
    }

    private static void line(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        out.write('\r');
        out.write('\n');
    }
}
