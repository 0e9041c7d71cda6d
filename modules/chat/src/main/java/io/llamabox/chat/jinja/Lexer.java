package io.llamabox.chat.jinja;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a template into tokens with the whitespace rules chat templates are written for (Hugging Face
 * renders them with {@code trim_blocks} and {@code lstrip_blocks} on):
 * <ul>
 *   <li>a single trailing newline of the source is dropped, and line ends are normalised to {@code \n};</li>
 *   <li>{@code {%-}, {@code {{-}, {@code {#-} strip all whitespace before the tag, {@code -%}}, {@code -}}},
 *       {@code -#}} all whitespace after it;</li>
 *   <li>trim_blocks: the first newline after a block or comment tag is removed ({@code +%}} keeps it);</li>
 *   <li>lstrip_blocks: spaces and tabs between the start of a line and a block or comment tag are removed
 *       ({@code {%+} keeps them).</li>
 * </ul>
 * Where the peer's lexer differs from Jinja2 (a first text of at most one character before a block tag is
 * dropped; {@code -} strips only spaces, tabs and line ends) this lexer does what the peer does.
 */
final class Lexer {

    enum Kind { TEXT, VAR_BEGIN, VAR_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INT, FLOAT, OP, EOF }

    record Token(Kind kind, String text, int pos) {
        boolean is(Kind k, String t) {
            return kind == k && text.equals(t);
        }

        boolean isOp(String t) {
            return kind == Kind.OP && text.equals(t);
        }

        boolean isName(String t) {
            return kind == Kind.NAME && text.equals(t);
        }
    }

    private static final String[] OPERATORS = {
        "**", "//", "==", "!=", "<=", ">=",
        "+", "-", "*", "/", "%", "~", "<", ">", "=", ".", ",", ":", "|", "(", ")", "[", "]", "{", "}"
    };

    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    /** Set by a tag ending in {@code -}: strip all leading whitespace of the next text. */
    private boolean stripNextText;
    /** Set by a block or comment tag (trim_blocks): drop one leading newline of the next text. */
    private boolean trimNextNewline;

    private Lexer(String src) {
        this.src = src;
    }

    /** The normalised source the token positions refer to. */
    static String normalize(String source) {
        String s = source.indexOf('\r') >= 0 ? source.replace("\r\n", "\n").replace('\r', '\n') : source;
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    /** Tokenizes an already {@link #normalize normalised} source. */
    static List<Token> tokenize(String normalizedSource) {
        Lexer lx = new Lexer(normalizedSource);
        lx.run();
        return lx.tokens;
    }

    private void run() {
        int n = src.length();
        while (pos <= n) {
            int tag = nextTagStart(pos);
            int textStart = pos;
            int textEnd = tag < 0 ? n : tag;
            char kind = tag < 0 ? 0 : src.charAt(tag + 1);
            char mod = tag >= 0 && tag + 2 < n ? src.charAt(tag + 2) : 0;
            if ((kind == '%' || kind == '#') && mod != '+') {
                textEnd = lstripBlock(textStart, textEnd);
            }
            if (trimNextNewline && textStart < textEnd && src.charAt(textStart) == '\n') {
                textStart++;
            }
            if (stripNextText) {
                while (textStart < textEnd && isStripSpace(src.charAt(textStart))) {
                    textStart++;
                }
            }
            stripNextText = false;
            trimNextNewline = false;
            if (mod == '-') {
                while (textEnd > textStart && isStripSpace(src.charAt(textEnd - 1))) {
                    textEnd--;
                }
            }
            emitText(textStart, textEnd);
            if (tag < 0) {
                break;
            }
            int inner = tag + 2 + (mod == '-' || (mod == '+' && kind != '{') ? 1 : 0);
            switch (kind) {
                case '#' -> comment(tag, inner);
                case '{' -> expressionTag(tag, inner);
                default -> blockTag(tag, inner);
            }
        }
        tokens.add(new Token(Kind.EOF, "", n));
    }

    /** The whitespace that {@code -} modifiers remove, as the peer strips it. */
    private static boolean isStripSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /**
     * lstrip_blocks: the end of the text once the blanks between the last line start and a block or comment
     * tag are dropped. Like the peer, a first text of the template that is at most one character followed
     * by blanks is dropped whole.
     */
    private int lstripBlock(int textStart, int textEnd) {
        int i = textEnd;
        while (i > textStart) {
            if (i == 1) {
                return textStart;
            }
            char c = src.charAt(i - 1);
            if (c == '\n') {
                return i;
            }
            if (c != ' ' && c != '\t' && c != '\u000b' && c != '\f' && c != '\r') {
                return textEnd;
            }
            i--;
        }
        return textEnd;
    }

    private void emitText(int start, int end) {
        if (end > start) {
            tokens.add(new Token(Kind.TEXT, src.substring(start, end), start));
        }
    }

    private int nextTagStart(int from) {
        int n = src.length();
        int i = src.indexOf('{', from);
        while (i >= 0 && i + 1 < n) {
            char c = src.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
            i = src.indexOf('{', i + 1);
        }
        return -1;
    }

    private void comment(int tag, int inner) {
        int end = src.indexOf("#}", inner);
        if (end < 0) {
            throw TemplateException.syntax(src, tag, "missing end of comment tag '#}'");
        }
        char before = end > inner ? src.charAt(end - 1) : 0;
        pos = end + 2;
        if (before == '-') {
            stripNextText = true;
        } else if (before != '+') {
            trimNextNewline = true;
        }
    }

    private void expressionTag(int tag, int inner) {
        tokens.add(new Token(Kind.VAR_BEGIN, "{{", tag));
        pos = inner;
        lexExpression(tag, "}}");
        tokens.add(new Token(Kind.VAR_END, "}}", pos));
    }

    private void blockTag(int tag, int inner) {
        if (isRawStart(inner)) {
            raw(tag);
            return;
        }
        tokens.add(new Token(Kind.BLOCK_BEGIN, "{%", tag));
        pos = inner;
        lexExpression(tag, "%}");
        tokens.add(new Token(Kind.BLOCK_END, "%}", pos));
    }

    private boolean isRawStart(int inner) {
        int i = skipSpaces(inner);
        if (!src.startsWith("raw", i)) {
            return false;
        }
        int j = skipSpaces(i + 3);
        if (j < src.length() && (src.charAt(j) == '-' || src.charAt(j) == '+')) {
            j++;
        }
        return src.startsWith("%}", j);
    }

    private int skipSpaces(int i) {
        while (i < src.length() && Character.isWhitespace(src.charAt(i))) {
            i++;
        }
        return i;
    }

    /** {@code {% raw %}...{% endraw %}}: the body is literal text. */
    private void raw(int tag) {
        int close = src.indexOf("%}", tag);
        boolean stripBodyStart = src.charAt(close - 1) == '-';
        int bodyStart = close + 2;
        int search = bodyStart;
        int endTag;
        int afterEnd;
        while (true) {
            endTag = src.indexOf("{%", search);
            if (endTag < 0) {
                throw TemplateException.syntax(src, tag, "missing '{% endraw %}'");
            }
            int i = endTag + 2;
            if (i < src.length() && (src.charAt(i) == '-' || src.charAt(i) == '+')) {
                i++;
            }
            i = skipSpaces(i);
            if (src.startsWith("endraw", i)) {
                int j = skipSpaces(i + 6);
                if (j < src.length() && (src.charAt(j) == '-' || src.charAt(j) == '+')) {
                    j++;
                }
                if (src.startsWith("%}", j)) {
                    afterEnd = j + 2;
                    break;
                }
            }
            search = endTag + 2;
        }
        int bs = bodyStart;
        if (stripBodyStart) {
            while (bs < endTag && isStripSpace(src.charAt(bs))) {
                bs++;
            }
        }
        char mod = src.charAt(endTag + 2);
        int be = endTag;
        if (mod == '-') {
            while (be > bs && isStripSpace(src.charAt(be - 1))) {
                be--;
            }
        } else if (mod != '+') {
            be = lstripBlock(bs, be);
        }
        emitText(bs, be);
        char endMod = src.charAt(afterEnd - 3);
        pos = afterEnd;
        if (endMod == '-') {
            stripNextText = true;
        } else if (endMod != '+') {
            trimNextNewline = true;
        }
    }

    /** Lexes expression tokens up to the closing {@code end} delimiter (optionally preceded by - or +). */
    private void lexExpression(int tag, String end) {
        int depth = 0;
        int n = src.length();
        while (true) {
            while (pos < n && Character.isWhitespace(src.charAt(pos))) {
                pos++;
            }
            if (pos >= n) {
                throw TemplateException.syntax(src, tag, "unexpected end of template, expected '" + end + "'");
            }
            char c = src.charAt(pos);
            if (depth == 0) {
                if (src.startsWith(end, pos)) {
                    pos += 2;
                    if (end.equals("%}")) {
                        trimNextNewline = true;
                    }
                    return;
                }
                if ((c == '-' || (c == '+' && end.equals("%}"))) && src.startsWith(end, pos + 1)) {
                    pos += 3;
                    if (c == '-') {
                        stripNextText = true;
                    }
                    return;
                }
            }
            if (c == '\'' || c == '"') {
                string(c);
            } else if (c >= '0' && c <= '9') {
                number();
            } else if (Character.isLetter(c) || c == '_') {
                int s = pos;
                while (pos < n && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                    pos++;
                }
                tokens.add(new Token(Kind.NAME, src.substring(s, pos), s));
            } else {
                String op = null;
                for (String o : OPERATORS) {
                    if (src.startsWith(o, pos)) {
                        op = o;
                        break;
                    }
                }
                if (op == null) {
                    throw TemplateException.syntax(src, pos, "unexpected character '" + c + "'");
                }
                switch (op) {
                    case "(", "[", "{" -> depth++;
                    case ")", "]", "}" -> depth = Math.max(0, depth - 1);
                    default -> { }
                }
                tokens.add(new Token(Kind.OP, op, pos));
                pos += op.length();
            }
        }
    }

    private void string(char quote) {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        int n = src.length();
        while (true) {
            if (pos >= n) {
                throw TemplateException.syntax(src, start, "unterminated string literal");
            }
            char c = src.charAt(pos);
            if (c == quote) {
                pos++;
                break;
            }
            if (c == '\\' && pos + 1 < n) {
                char e = src.charAt(pos + 1);
                pos += 2;
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'v' -> sb.append('\u000b');
                    case '0' -> sb.append('\0');
                    case 'a' -> sb.append('\u0007');
                    case '\\', '\'', '"' -> sb.append(e);
                    case '\n' -> { }
                    case 'x' -> sb.appendCodePoint(hex(start, 2));
                    case 'u' -> sb.appendCodePoint(hex(start, 4));
                    case 'U' -> sb.appendCodePoint(hex(start, 8));
                    default -> sb.append('\\').append(e);
                }
                continue;
            }
            sb.append(c);
            pos++;
        }
        tokens.add(new Token(Kind.STRING, sb.toString(), start));
    }

    private int hex(int start, int digits) {
        if (pos + digits > src.length()) {
            throw TemplateException.syntax(src, start, "truncated escape sequence in string literal");
        }
        try {
            int v = Integer.parseInt(src.substring(pos, pos + digits), 16);
            pos += digits;
            return v;
        } catch (NumberFormatException e) {
            throw TemplateException.syntax(src, start, "invalid escape sequence in string literal");
        }
    }

    private void number() {
        int s = pos;
        int n = src.length();
        boolean isFloat = false;
        digits();
        if (pos + 1 < n && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))) {
            isFloat = true;
            pos++;
            digits();
        }
        if (pos < n && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < n && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < n && Character.isDigit(src.charAt(pos))) {
                digits();
                isFloat = true;
            } else {
                pos = save;
            }
        }
        String text = src.substring(s, pos).replace("_", "");
        tokens.add(new Token(isFloat ? Kind.FLOAT : Kind.INT, text, s));
    }

    private void digits() {
        int n = src.length();
        while (pos < n && (Character.isDigit(src.charAt(pos))
                || (src.charAt(pos) == '_' && pos + 1 < n && Character.isDigit(src.charAt(pos + 1))))) {
            pos++;
        }
    }
}
