package io.llamabox.chat.tools;

/**
 * Finds where a JSON object or array written in model output ends, without building it: the end index,
 * {@link #INCOMPLETE} when the text so far is a valid beginning that has not ended yet, or
 * {@link #INVALID} when it cannot be JSON. A scan can be resumed when more text arrives
 * ({@link #resume}), so reading a long call as it streams costs time linear in its length.
 */
final class JsonScan {
    static final int INCOMPLETE = -1;
    static final int INVALID = -2;
    private static final int MAX_DEPTH = 512;

    private enum State {
        VALUE, KEY_OR_END, KEY, COLON, AFTER_VALUE, VALUE_OR_END, STRING, ESCAPE, UNICODE, NUMBER, LITERAL, DONE, FAILED
    }

    private enum Num { SIGN, ZERO, INT, DOT, FRACTION, E, E_SIGN, EXPONENT }

    /** Where this scan started, and how far it has read. */
    final int start;
    private int pos;
    private State state = State.VALUE;
    private final char[] stack = new char[MAX_DEPTH];
    private int depth;
    private boolean stringIsKey;
    private int unicodeLeft;
    private Num num;
    private String literal;
    private int literalAt;
    private int end = INCOMPLETE;

    JsonScan(int start) {
        this.start = start;
        this.pos = start;
    }

    /** The end (exclusive) of the object or array starting at {@code from}, or a negative status. */
    static int container(String s, int from) {
        return new JsonScan(from).resume(s);
    }

    static int skipSpace(String s, int i) {
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** Reads on from where the last call stopped ({@code s} must extend the text read before). */
    int resume(String s) {
        if (state == State.DONE) {
            return end;
        }
        if (state == State.FAILED) {
            return INVALID;
        }
        if (pos == start) {
            if (pos >= s.length()) {
                return INCOMPLETE;
            }
            char c = s.charAt(pos);
            if (c != '{' && c != '[') {
                state = State.FAILED;
                return INVALID;
            }
        }
        while (pos < s.length()) {
            if (!step(s.charAt(pos))) {
                if (state == State.FAILED) {
                    return INVALID;
                }
                continue; // the character ends a number and is read again in the next state
            }
            pos++;
            if (state == State.DONE) {
                end = pos;
                return end;
            }
        }
        return INCOMPLETE;
    }

    /** Consumes one character; false when it was not consumed (an error, or the end of a number). */
    private boolean step(char c) {
        switch (state) {
            case VALUE, VALUE_OR_END -> {
                if (isSpace(c)) {
                    return true;
                }
                if (c == ']' && state == State.VALUE_OR_END) {
                    return close();
                }
                return startValue(c);
            }
            case KEY_OR_END, KEY -> {
                if (isSpace(c)) {
                    return true;
                }
                if (c == '}' && state == State.KEY_OR_END) {
                    return close();
                }
                if (c != '"') {
                    return fail();
                }
                stringIsKey = true;
                state = State.STRING;
                return true;
            }
            case COLON -> {
                if (isSpace(c)) {
                    return true;
                }
                if (c != ':') {
                    return fail();
                }
                state = State.VALUE;
                return true;
            }
            case AFTER_VALUE -> {
                if (isSpace(c)) {
                    return true;
                }
                char open = stack[depth - 1];
                if (c == ',') {
                    state = open == '{' ? State.KEY : State.VALUE;
                    return true;
                }
                return c == (open == '{' ? '}' : ']') ? close() : fail();
            }
            case STRING -> {
                if (c == '"') {
                    state = stringIsKey ? State.COLON : State.AFTER_VALUE;
                    stringIsKey = false;
                } else if (c == '\\') {
                    state = State.ESCAPE;
                } else if (c < 0x20) {
                    return fail();
                }
                return true;
            }
            case ESCAPE -> {
                if (c == 'u') {
                    unicodeLeft = 4;
                    state = State.UNICODE;
                } else if ("\"\\/bfnrt".indexOf(c) >= 0) {
                    state = State.STRING;
                } else {
                    return fail();
                }
                return true;
            }
            case UNICODE -> {
                if (Character.digit(c, 16) < 0) {
                    return fail();
                }
                if (--unicodeLeft == 0) {
                    state = State.STRING;
                }
                return true;
            }
            case NUMBER -> {
                return number(c);
            }
            case LITERAL -> {
                if (c != literal.charAt(literalAt)) {
                    return fail();
                }
                if (++literalAt == literal.length()) {
                    state = State.AFTER_VALUE;
                }
                return true;
            }
            default -> {
                return fail();
            }
        }
    }

    private boolean startValue(char c) {
        switch (c) {
            case '{', '[' -> {
                if (depth == MAX_DEPTH) {
                    return fail();
                }
                stack[depth++] = c;
                state = c == '{' ? State.KEY_OR_END : State.VALUE_OR_END;
                return true;
            }
            case '"' -> {
                state = State.STRING;
                return true;
            }
            case 't', 'f', 'n' -> {
                literal = c == 't' ? "true" : c == 'f' ? "false" : "null";
                literalAt = 1;
                state = State.LITERAL;
                return true;
            }
            default -> {
                if (c == '-') {
                    num = Num.SIGN;
                } else if (c == '0') {
                    num = Num.ZERO;
                } else if (c >= '1' && c <= '9') {
                    num = Num.INT;
                } else {
                    return fail();
                }
                state = State.NUMBER;
                return true;
            }
        }
    }

    private boolean number(char c) {
        boolean digit = c >= '0' && c <= '9';
        switch (num) {
            case SIGN -> {
                if (!digit) {
                    return fail();
                }
                num = c == '0' ? Num.ZERO : Num.INT;
                return true;
            }
            case ZERO, INT -> {
                if (digit && num == Num.INT) {
                    return true;
                }
                if (c == '.') {
                    num = Num.DOT;
                    return true;
                }
                if (c == 'e' || c == 'E') {
                    num = Num.E;
                    return true;
                }
                return digit ? fail() : endNumber();
            }
            case DOT -> {
                if (!digit) {
                    return fail();
                }
                num = Num.FRACTION;
                return true;
            }
            case FRACTION -> {
                if (digit) {
                    return true;
                }
                if (c == 'e' || c == 'E') {
                    num = Num.E;
                    return true;
                }
                return endNumber();
            }
            case E -> {
                if (c == '+' || c == '-') {
                    num = Num.E_SIGN;
                    return true;
                }
                if (!digit) {
                    return fail();
                }
                num = Num.EXPONENT;
                return true;
            }
            case E_SIGN -> {
                if (!digit) {
                    return fail();
                }
                num = Num.EXPONENT;
                return true;
            }
            default -> {
                return digit || endNumber();
            }
        }
    }

    /** A number ended at a character that belongs to what follows it. */
    private boolean endNumber() {
        state = State.AFTER_VALUE;
        return false;
    }

    private boolean close() {
        depth--;
        state = depth == 0 ? State.DONE : State.AFTER_VALUE;
        return true;
    }

    private boolean fail() {
        state = State.FAILED;
        return false;
    }
}
