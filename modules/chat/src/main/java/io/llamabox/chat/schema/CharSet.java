package io.llamabox.chat.schema;

import java.util.ArrayList;
import java.util.List;

/** A set of Unicode code points as sorted, disjoint, non-adjacent ranges; immutable. */
final class CharSet {
    static final int MAX = 0x10FFFF;
    static final CharSet EMPTY = new CharSet(new int[0]);
    static final CharSet ALL = range(0, MAX);
    static final CharSet DIGIT = range('0', '9');
    static final CharSet WORD = range('a', 'z').union(range('A', 'Z')).union(DIGIT).union(single('_'));
    static final CharSet SPACE = of(" \t\n\r\f\u000B");

    /** Pairs: start0, end0, start1, end1, ... (inclusive). */
    private final int[] ranges;

    private CharSet(int[] ranges) {
        this.ranges = ranges;
    }

    static CharSet range(int from, int to) {
        if (from > to) {
            throw new IllegalArgumentException("bad range " + from + "-" + to);
        }
        return new CharSet(new int[] {from, to});
    }

    static CharSet single(int c) {
        return range(c, c);
    }

    static CharSet of(String chars) {
        CharSet s = EMPTY;
        for (int c : chars.codePoints().toArray()) {
            s = s.union(single(c));
        }
        return s;
    }

    boolean isEmpty() {
        return ranges.length == 0;
    }

    boolean contains(int c) {
        for (int i = 0; i < ranges.length; i += 2) {
            if (c >= ranges[i] && c <= ranges[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** The one code point of a single-member set, else -1. */
    int onlyMember() {
        return ranges.length == 2 && ranges[0] == ranges[1] ? ranges[0] : -1;
    }

    CharSet union(CharSet o) {
        List<int[]> all = new ArrayList<>();
        for (int i = 0; i < ranges.length; i += 2) {
            all.add(new int[] {ranges[i], ranges[i + 1]});
        }
        for (int i = 0; i < o.ranges.length; i += 2) {
            all.add(new int[] {o.ranges[i], o.ranges[i + 1]});
        }
        all.sort((a, b) -> Integer.compare(a[0], b[0]));
        List<Integer> out = new ArrayList<>();
        int[] cur = null;
        for (int[] r : all) {
            if (cur == null) {
                cur = r.clone();
            } else if (r[0] <= cur[1] + 1) {
                cur[1] = Math.max(cur[1], r[1]);
            } else {
                out.add(cur[0]);
                out.add(cur[1]);
                cur = r.clone();
            }
        }
        if (cur != null) {
            out.add(cur[0]);
            out.add(cur[1]);
        }
        return new CharSet(out.stream().mapToInt(Integer::intValue).toArray());
    }

    CharSet complement() {
        List<Integer> out = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            if (ranges[i] > next) {
                out.add(next);
                out.add(ranges[i] - 1);
            }
            next = ranges[i + 1] + 1;
        }
        if (next <= MAX) {
            out.add(next);
            out.add(MAX);
        }
        return new CharSet(out.stream().mapToInt(Integer::intValue).toArray());
    }

    CharSet minus(CharSet o) {
        return complement().union(o).complement();
    }

    CharSet intersect(CharSet o) {
        return complement().union(o.complement()).complement();
    }

    /** A GBNF character class of exactly these code points ({@code [...]} or {@code [^...]}); not for an empty set. */
    String gbnfClass() {
        if (isEmpty()) {
            throw new IllegalStateException("empty character class");
        }
        boolean negate = contains(MAX);
        int[] r = negate ? complement().ranges : ranges;
        StringBuilder sb = new StringBuilder(negate ? "[^" : "[");
        for (int i = 0; i < r.length; i += 2) {
            appendClassChar(sb, r[i]);
            if (r[i + 1] > r[i]) {
                if (r[i + 1] > r[i] + 1) {
                    sb.append('-');
                }
                appendClassChar(sb, r[i + 1]);
            }
        }
        return sb.append(']').toString();
    }

    private static void appendClassChar(StringBuilder sb, int c) {
        switch (c) {
            case '\\', ']', '[', '^', '-' -> sb.append('\\').append((char) c);
            default -> GbnfBuilder.appendCodePoint(sb, c);
        }
    }

    /**
     * A GBNF expression for one of these characters written inside a JSON string: the characters JSON lets
     * stand for themselves as a class, the others ({@code "}, {@code \}, control characters) escaped.
     */
    String jsonStringChar() {
        CharSet plain = minus(JSON_ESCAPED);
        List<String> alts = new ArrayList<>();
        if (!plain.isEmpty()) {
            alts.add(plain.gbnfClass());
        }
        CharSet escaped = intersect(JSON_ESCAPED);
        for (int i = 0; i < escaped.ranges.length; i += 2) {
            for (int c = escaped.ranges[i]; c <= escaped.ranges[i + 1]; c++) {
                alts.add(GbnfBuilder.literal(jsonEscape(c)));
            }
        }
        if (alts.isEmpty()) {
            throw new IllegalStateException("empty character class");
        }
        return alts.size() == 1 ? alts.getFirst() : "(" + String.join(" | ", alts) + ")";
    }

    /** The characters JSON strings must escape. */
    static final CharSet JSON_ESCAPED = range(0, 0x1F).union(single('"')).union(single('\\'));

    static String jsonEscape(int c) {
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            default -> String.format("\\u%04x", c);
        };
    }
}
