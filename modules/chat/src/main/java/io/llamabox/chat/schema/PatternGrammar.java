package io.llamabox.chat.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a JSON Schema {@code pattern} (an ECMA-262 regular expression) into a GBNF expression for the
 * content of a JSON string whose text matches it whole. Supported: literals and escapes, {@code .},
 * classes ({@code [a-z]}, {@code [^...]}, {@code \d \w \s} and their negations), groups ({@code (...)},
 * {@code (?:...)}), alternation and the quantifiers {@code * + ? {n} {n,} {n,m}} (lazy forms too). The
 * anchors {@code ^} and {@code $} are accepted at the ends. Producing only whole matches is a subset of
 * what an unanchored pattern allows, so the output always matches. Backreferences, lookaround, word
 * boundaries and Unicode property classes are refused.
 */
final class PatternGrammar {
    /** The most a bounded quantifier may repeat; beyond it the grammar would be too large. */
    static final int MAX_REPEAT = 1000;

    private final String src;
    private final String where;
    private int pos;

    private PatternGrammar(String src, String where) {
        this.src = src;
        this.where = where;
    }

    static String gbnf(String pattern, String where) {
        PatternGrammar p = new PatternGrammar(pattern, where);
        String expr = p.alternation(true);
        if (p.pos < pattern.length()) {
            throw p.error("unbalanced ')'");
        }
        return expr;
    }

    private SchemaException error(String what) {
        return new SchemaException(where, "pattern " + quote(src) + " at offset " + pos + ": " + what);
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    private boolean more() {
        return pos < src.length();
    }

    private int peek() {
        return src.codePointAt(pos);
    }

    private int next() {
        int c = src.codePointAt(pos);
        pos += Character.charCount(c);
        return c;
    }

    private String alternation(boolean top) {
        List<String> branches = new ArrayList<>();
        branches.add(sequence(top));
        while (more() && peek() == '|') {
            pos++;
            branches.add(sequence(top));
        }
        if (branches.size() == 1) {
            return branches.getFirst();
        }
        return "(" + String.join(" | ", branches) + ")";
    }

    private String sequence(boolean top) {
        List<String> items = new ArrayList<>();
        int start = pos;
        while (more() && peek() != '|' && peek() != ')') {
            if (peek() == '^') {
                if (!top || pos != start) {
                    throw error("'^' is only supported at the start of the pattern");
                }
                pos++;
                continue;
            }
            if (peek() == '$') {
                pos++;
                if (!top || more() && peek() != '|') {
                    throw error("'$' is only supported at the end of the pattern");
                }
                continue;
            }
            String atom = atom();
            items.add(quantified(atom));
        }
        if (items.isEmpty()) {
            return "\"\"";
        }
        return items.size() == 1 ? items.getFirst() : String.join(" ", items);
    }

    private String quantified(String atom) {
        if (!more()) {
            return atom;
        }
        int c = peek();
        int min;
        int max;
        if (c == '*') {
            pos++;
            min = 0;
            max = -1;
        } else if (c == '+') {
            pos++;
            min = 1;
            max = -1;
        } else if (c == '?') {
            pos++;
            min = 0;
            max = 1;
        } else if (c == '{' && isBraceQuantifier()) {
            pos++;
            min = number();
            max = min;
            if (peek() == ',') {
                pos++;
                max = peek() == '}' ? -1 : number();
            }
            pos++; // '}'
            if (max >= 0 && max < min) {
                throw error("quantifier {" + min + "," + max + "} has max below min");
            }
            if (min > MAX_REPEAT || max > MAX_REPEAT) {
                throw error("repetition counts above " + MAX_REPEAT + " are not supported");
            }
        } else {
            return atom;
        }
        if (more() && peek() == '?') {
            pos++; // a lazy quantifier matches the same strings
        } else if (more() && peek() == '+') {
            throw error("possessive quantifiers are not supported");
        }
        if (more() && (peek() == '*' || peek() == '+' || peek() == '?' || peek() == '{' && isBraceQuantifier())) {
            throw error("nothing to repeat");
        }
        return repeat(atom, min, max);
    }

    static String repeat(String atom, int min, int max) {
        boolean group = atom.startsWith("(") && atom.endsWith(")") && balanced(atom);
        String a = atom.contains(" ") && !group ? "(" + atom + ")" : atom;
        if (min == 0 && max == -1) {
            return a + "*";
        }
        if (min == 1 && max == -1) {
            return a + "+";
        }
        if (min == 0 && max == 1) {
            return a + "?";
        }
        if (max == -1) {
            return a + "{" + min + ",}";
        }
        if (min == max) {
            return min == 1 ? a : a + "{" + min + "}";
        }
        return a + "{" + min + "," + max + "}";
    }

    /** Whether a parenthesized expression is one group from its first to its last character. */
    private static boolean balanced(String s) {
        int depth = 0;
        boolean quoted = false;
        boolean cls = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
                continue;
            }
            if (quoted) {
                quoted = c != '"';
                continue;
            }
            if (cls) {
                cls = c != ']';
                continue;
            }
            if (c == '"') {
                quoted = true;
            } else if (c == '[') {
                cls = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0 && i < s.length() - 1) {
                    return false;
                }
            }
        }
        return depth == 0;
    }

    private boolean isBraceQuantifier() {
        int i = pos + 1;
        int digits = 0;
        while (i < src.length() && Character.isDigit(src.charAt(i))) {
            i++;
            digits++;
        }
        if (digits == 0) {
            return false;
        }
        if (i < src.length() && src.charAt(i) == ',') {
            i++;
            while (i < src.length() && Character.isDigit(src.charAt(i))) {
                i++;
            }
        }
        return i < src.length() && src.charAt(i) == '}';
    }

    private int number() {
        int start = pos;
        while (more() && Character.isDigit(peek())) {
            pos++;
        }
        try {
            return Integer.parseInt(src.substring(start, pos));
        } catch (NumberFormatException e) {
            throw error("repetition count too large");
        }
    }

    private String atom() {
        int c = next();
        switch (c) {
            case '(' -> {
                if (more() && peek() == '?') {
                    pos++;
                    if (more() && peek() == ':') {
                        pos++;
                    } else {
                        throw error("lookaround and named groups are not supported");
                    }
                }
                String inner = alternation(false);
                if (!more() || peek() != ')') {
                    throw error("missing ')'");
                }
                pos++;
                return inner.startsWith("(") && balanced(inner) || !inner.contains(" ") ? inner : "(" + inner + ")";
            }
            case '[' -> {
                return charClass().jsonStringChar();
            }
            case '.' -> {
                return CharSet.ALL.minus(CharSet.of("\n\r\u2028\u2029")).jsonStringChar();
            }
            case '\\' -> {
                return escapeAtom();
            }
            case '*', '+', '?' -> throw error("nothing to repeat");
            case ')' -> throw error("unbalanced ')'");
            default -> {
                if (c == '{' && isBraceQuantifierAt(pos - 1)) {
                    throw error("nothing to repeat");
                }
                return CharSet.single(c).jsonStringChar();
            }
        }
    }

    private boolean isBraceQuantifierAt(int at) {
        int save = pos;
        pos = at;
        boolean q = isBraceQuantifier();
        pos = save;
        return q;
    }

    private String escapeAtom() {
        if (!more()) {
            throw error("trailing backslash");
        }
        int c = peek();
        if (c == 'b' || c == 'B') {
            throw error("word boundaries (\\b, \\B) are not supported");
        }
        if (c >= '1' && c <= '9') {
            throw error("backreferences are not supported");
        }
        if (c == 'k') {
            throw error("named backreferences are not supported");
        }
        return escape().jsonStringChar();
    }

    /** After a backslash: the set it stands for. */
    private CharSet escape() {
        if (!more()) {
            throw error("trailing backslash");
        }
        int c = next();
        return switch (c) {
            case 'd' -> CharSet.DIGIT;
            case 'D' -> CharSet.DIGIT.complement();
            case 'w' -> CharSet.WORD;
            case 'W' -> CharSet.WORD.complement();
            case 's' -> CharSet.SPACE.union(CharSet.of("\u00A0\u2028\u2029\uFEFF"));
            case 'S' -> CharSet.SPACE.union(CharSet.of("\u00A0\u2028\u2029\uFEFF")).complement();
            case 'n' -> CharSet.single('\n');
            case 'r' -> CharSet.single('\r');
            case 't' -> CharSet.single('\t');
            case 'f' -> CharSet.single('\f');
            case 'v' -> CharSet.single(0x0B);
            case '0' -> CharSet.single(0);
            case 'x' -> CharSet.single(hex(2));
            case 'u' -> CharSet.single(hex(4));
            case 'p', 'P' -> throw error("Unicode property classes are not supported");
            case 'c' -> throw error("control escapes (\\c) are not supported");
            default -> {
                if (Character.isLetterOrDigit(c)) {
                    throw error("unknown escape \\" + Character.toString(c));
                }
                yield CharSet.single(c);
            }
        };
    }

    private int hex(int digits) {
        if (pos + digits > src.length()) {
            throw error("incomplete hex escape");
        }
        try {
            int v = Integer.parseInt(src.substring(pos, pos + digits), 16);
            pos += digits;
            return v;
        } catch (NumberFormatException e) {
            throw error("bad hex escape");
        }
    }

    /** After '[': the class up to and including ']'. */
    private CharSet charClass() {
        boolean negate = false;
        if (more() && peek() == '^') {
            negate = true;
            pos++;
        }
        CharSet set = CharSet.EMPTY;
        boolean first = true;
        while (true) {
            if (!more()) {
                throw error("missing ']'");
            }
            int c = peek();
            if (c == ']' && !first) {
                pos++;
                break;
            }
            if (c == ']') {
                // "[]" matches nothing and "[^]" anything in ECMAScript
                pos++;
                return negate ? CharSet.ALL : refuseEmpty();
            }
            first = false;
            CharSet item = classAtom();
            if (more() && peek() == '-' && pos + 1 < src.length() && src.charAt(pos + 1) != ']') {
                pos++;
                CharSet to = classAtom();
                int lo = single(item);
                int hi = single(to);
                if (lo > hi) {
                    throw error("character range out of order");
                }
                set = set.union(CharSet.range(lo, hi));
            } else {
                set = set.union(item);
            }
        }
        if (negate) {
            set = set.complement();
        }
        if (set.isEmpty()) {
            return refuseEmpty();
        }
        return set;
    }

    private CharSet refuseEmpty() {
        throw error("the character class matches nothing");
    }

    private int single(CharSet s) {
        int c = s.onlyMember();
        if (c < 0) {
            throw error("a class escape cannot bound a range");
        }
        return c;
    }

    private CharSet classAtom() {
        int c = next();
        if (c == '\\') {
            if (more() && peek() == 'b') {
                pos++;
                return CharSet.single('\b');
            }
            return escape();
        }
        if (c == '[' && more() && (peek() == ':' || peek() == '=' || peek() == '.')) {
            throw error("POSIX classes are not supported");
        }
        return CharSet.single(c);
    }
}
