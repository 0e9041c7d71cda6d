package io.llamabox.chat.schema;

import java.util.regex.Pattern;

/**
 * A Java regex for a GBNF expression without rule references (what the number and pattern grammars
 * produce), so tests can check such expressions exhaustively against the values they should accept.
 */
final class GbnfRegex {
    private GbnfRegex() {
    }

    static Pattern of(String gbnf) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < gbnf.length()) {
            char c = gbnf.charAt(i);
            if (c == ' ') {
                i++;
            } else if (c == '"') {
                StringBuilder lit = new StringBuilder();
                i++;
                while (gbnf.charAt(i) != '"') {
                    if (gbnf.charAt(i) == '\\') {
                        i++;
                        char e = gbnf.charAt(i);
                        switch (e) {
                            case 'n' -> lit.append('\n');
                            case 'r' -> lit.append('\r');
                            case 't' -> lit.append('\t');
                            case 'x' -> {
                                lit.appendCodePoint(Integer.parseInt(gbnf.substring(i + 1, i + 3), 16));
                                i += 2;
                            }
                            case 'u' -> {
                                lit.appendCodePoint(Integer.parseInt(gbnf.substring(i + 1, i + 5), 16));
                                i += 4;
                            }
                            case 'U' -> {
                                lit.appendCodePoint(Integer.parseInt(gbnf.substring(i + 1, i + 9), 16));
                                i += 8;
                            }
                            default -> lit.append(e);
                        }
                    } else {
                        lit.append(gbnf.charAt(i));
                    }
                    i++;
                }
                i++;
                if (!lit.isEmpty()) {
                    out.append(Pattern.quote(lit.toString()));
                }
            } else if (c == '[') {
                int end = i + 1;
                while (gbnf.charAt(end) != ']') {
                    end += gbnf.charAt(end) == '\\' ? 2 : 1;
                }
                String cls = gbnf.substring(i, end + 1);
                out.append(cls.replaceAll("\\\\U([0-9A-Fa-f]{8})", "\\\\x{$1}"));
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return Pattern.compile(out.toString());
    }
}
