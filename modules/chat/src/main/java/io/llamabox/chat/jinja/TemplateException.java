package io.llamabox.chat.jinja;

/** A template that cannot be parsed, or that failed or refused to render. */
public final class TemplateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** The source is not a valid template. */
        SYNTAX,
        /** Rendering failed: a type error, an unknown filter, a call of something that is not callable... */
        RUNTIME,
        /** The template itself refused the input through {@code raise_exception(message)}. */
        RAISED
    }

    private final Kind kind;
    private final String detail;
    private final int line;
    private final int column;

    TemplateException(Kind kind, String detail, int line, int column) {
        super(format(kind, detail, line, column));
        this.kind = kind;
        this.detail = detail;
        this.line = line;
        this.column = column;
    }

    private static String format(Kind kind, String detail, int line, int column) {
        if (kind == Kind.RAISED) {
            return detail;
        }
        String where = line > 0 ? " at line " + line + ", column " + column : "";
        return (kind == Kind.SYNTAX ? "template syntax error" : "template error") + where + ": " + detail;
    }

    static TemplateException syntax(String source, int pos, String detail) {
        int[] lc = lineColumn(source, pos);
        return new TemplateException(Kind.SYNTAX, detail, lc[0], lc[1]);
    }

    static TemplateException runtime(String source, int pos, String detail) {
        int[] lc = lineColumn(source, pos);
        return new TemplateException(Kind.RUNTIME, detail, lc[0], lc[1]);
    }

    static int[] lineColumn(String source, int pos) {
        if (source == null || pos < 0) {
            return new int[] {0, 0};
        }
        int line = 1;
        int col = 1;
        for (int i = 0; i < pos && i < source.length(); i++) {
            if (source.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new int[] {line, col};
    }

    public Kind kind() {
        return kind;
    }

    /** The message without the position: for {@link Kind#RAISED} exactly what the template passed. */
    public String detail() {
        return detail;
    }

    /** 1-based line of the failing construct, 0 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column of the failing construct, 0 when unknown. */
    public int column() {
        return column;
    }
}
