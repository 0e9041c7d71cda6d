package io.llamabox.chat.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * GBNF for JSON numbers, optionally bounded. Integers are written without leading zeros and with at
 * most {@link #MAX_DIGITS} digits; bounds become digit-by-digit ranges (so {@code [13, 250]} is
 * {@code "1" [3-9] | [2-9] [0-9] | "1" [0-9] [0-9] | "2" ([0-4] [0-9] | "50")}). Bounds of {@code number}
 * must be whole numbers: the integer part is bounded and the fraction follows from it.
 */
final class NumberGrammar {
    static final int MAX_DIGITS = 16;
    static final long CAP = 9_999_999_999_999_999L;
    static final String UNBOUNDED_INTEGER = "\"-\"? (\"0\" | [1-9] [0-9]{0," + (MAX_DIGITS - 1) + "})";
    static final String UNBOUNDED_NUMBER = UNBOUNDED_INTEGER + " (\".\" [0-9]{1,15})? ([eE] [-+]? [0-9]{1,2})?";
    private static final String FRACTION_ANY = "(\".\" [0-9]{1,15})?";
    private static final String FRACTION_ZERO = "(\".\" \"0\"{1,15})?";
    private static final String FRACTION_POSITIVE = "\".\" \"0\"{0,14} [1-9] [0-9]{0,14}";

    private NumberGrammar() {
    }

    /** Integers in [min, max]; null for no bound. Empty when none exists. */
    static String integer(Long min, Long max) {
        List<String> alts = new ArrayList<>();
        if (max == null || max >= 0) {
            long lo = min == null ? 0 : Math.max(min, 0);
            long hi = max == null ? CAP : Math.min(max, CAP);
            if (lo <= hi) {
                alts.add(naturals(lo, hi));
            }
        }
        if (min == null || min < 0) {
            long lo = max == null || max >= 0 ? 1 : -max;
            long hi = min == null ? CAP : Math.min(-min, CAP);
            if (lo <= hi) {
                alts.add("\"-\" " + group(naturals(lo, hi)));
            }
        }
        return alternatives(alts);
    }

    /**
     * Numbers between whole-number bounds (null for none; {@code exclusive} flags per bound). Empty when
     * none exists.
     */
    static String number(Long min, boolean minExclusive, Long max, boolean maxExclusive) {
        if (min == null && max == null) {
            return UNBOUNDED_NUMBER;
        }
        List<String> alts = new ArrayList<>();
        // v >= 0, written without a sign
        if (max == null || max > 0 || max == 0 && !maxExclusive) {
            boolean lowPositive = min != null && min >= 0;
            String m = magnitude(lowPositive ? min : 0, lowPositive && minExclusive, max, maxExclusive);
            if (!m.isEmpty()) {
                alts.add(m);
            }
        }
        // v < 0, written as "-" and its magnitude
        if (min == null || min < 0) {
            long lo = max == null || max >= 0 ? 0 : -max;
            boolean loExclusive = max == null || max >= 0 || maxExclusive;
            String m = magnitude(lo, loExclusive, min == null ? null : -min, minExclusive);
            if (!m.isEmpty()) {
                alts.add("\"-\" " + group(m));
            }
        }
        return alternatives(alts);
    }

    /** Non-negative values between lo and hi (null: no upper bound) with whole-number bounds. */
    private static String magnitude(long lo, boolean loExclusive, Long hi, boolean hiExclusive) {
        List<String> parts = new ArrayList<>();
        if (loExclusive && (hi == null || hi > lo)) {
            parts.add(naturals(lo, lo) + " " + FRACTION_POSITIVE);
        }
        long intLo = loExclusive ? lo + 1 : lo;
        long intHi = hi == null ? CAP : Math.min(hi - 1, CAP);
        if (intLo <= intHi) {
            parts.add(group(naturals(intLo, intHi)) + " " + FRACTION_ANY);
        }
        if (hi != null && !hiExclusive && (hi > lo || hi == lo && !loExclusive) && hi <= CAP) {
            parts.add(naturals(hi, hi) + " " + FRACTION_ZERO);
        }
        return alternatives(parts);
    }

    /** Non-negative integers in [lo, hi], without leading zeros. */
    static String naturals(long lo, long hi) {
        if (lo < 0 || lo > hi) {
            throw new IllegalArgumentException("bad range " + lo + ".." + hi);
        }
        int loLen = Long.toString(lo).length();
        int hiLen = Long.toString(hi).length();
        List<String> alts = new ArrayList<>();
        if (hi == CAP && loLen < MAX_DIGITS) {
            alts.add(sameLength(pad(lo, loLen), "9".repeat(loLen)));
            alts.add("[1-9] " + digits(loLen, MAX_DIGITS - 1));
            return alternatives(alts);
        }
        for (int len = loLen; len <= hiLen; len++) {
            long a = Math.max(lo, len == 1 ? 0 : pow10(len - 1));
            long b = Math.min(hi, pow10(len) - 1);
            if (a <= b) {
                alts.add(sameLength(pad(a, len), pad(b, len)));
            }
        }
        return alternatives(alts);
    }

    /** Digit strings of one length between lo and hi inclusive (leading zeros allowed). */
    private static String sameLength(String lo, String hi) {
        if (lo.isEmpty()) {
            return "";
        }
        if (lo.equals(hi)) {
            return "\"" + lo + "\"";
        }
        char a = lo.charAt(0);
        char b = hi.charAt(0);
        String loRest = lo.substring(1);
        String hiRest = hi.substring(1);
        int n = loRest.length();
        if (a == b) {
            return "\"" + a + "\" " + group(sameLength(loRest, hiRest));
        }
        List<String> parts = new ArrayList<>();
        boolean loFull = loRest.chars().allMatch(c -> c == '0');
        boolean hiFull = hiRest.chars().allMatch(c -> c == '9');
        int midFrom = loFull ? a : a + 1;
        int midTo = hiFull ? b : b - 1;
        if (!loFull) {
            parts.add("\"" + a + "\" " + group(sameLength(loRest, "9".repeat(n))));
        }
        if (midFrom <= midTo) {
            String cls = midFrom == midTo ? "\"" + (char) midFrom + "\""
                    : "[" + (char) midFrom + "-" + (char) midTo + "]";
            parts.add(n == 0 ? cls : cls + " " + digits(n, n));
        }
        if (!hiFull) {
            parts.add("\"" + b + "\" " + group(sameLength("0".repeat(n), hiRest)));
        }
        return alternatives(parts);
    }

    private static String digits(int min, int max) {
        if (min == max) {
            return min == 1 ? "[0-9]" : "[0-9]{" + min + "}";
        }
        return "[0-9]{" + min + "," + max + "}";
    }

    private static String pad(long v, int len) {
        String s = Long.toString(v);
        return "0".repeat(len - s.length()) + s;
    }

    private static long pow10(int n) {
        long v = 1;
        for (int i = 0; i < n; i++) {
            v *= 10;
        }
        return v;
    }

    static String alternatives(List<String> alts) {
        if (alts.isEmpty()) {
            return "";
        }
        return alts.size() == 1 ? alts.getFirst() : "(" + String.join(" | ", alts) + ")";
    }

    private static String group(String expr) {
        return expr.contains(" ") && !(expr.startsWith("(") && expr.endsWith(")") && topLevelGroup(expr))
                ? "(" + expr + ")" : expr;
    }

    private static boolean topLevelGroup(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                i = s.indexOf('"', i + 1);
            } else if (c == '[') {
                i = s.indexOf(']', i + 1);
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0 && i < s.length() - 1) {
                return false;
            }
        }
        return true;
    }
}
