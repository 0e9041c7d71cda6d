package io.llamabox.cli.launch;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.slf4j.MDC;

/**
 * One line per log record: time, level, the request id of the thread's MDC (when there is one),
 * logger and message. JUL handlers run on the logging thread, so the MDC read here is the caller's.
 * With colors ({@code --log-colors}) the level letter and the text of warnings and errors are colored
 * with ANSI escapes.
 */
final class LogLineFormat extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());
    private static final String RESET = "\u001b[0m";

    private final boolean colors;

    LogLineFormat() {
        this(false);
    }

    LogLineFormat(boolean colors) {
        this.colors = colors;
    }

    @Override
    public String format(LogRecord r) {
        StringBuilder b = new StringBuilder(160);
        String color = colors ? color(r.getLevel()) : null;
        b.append(TIME.format(Instant.ofEpochMilli(r.getMillis()))).append(' ');
        if (color != null) {
            b.append(color);
        }
        b.append(level(r.getLevel())).append(' ');
        String id = MDC.get("request_id");
        if (id != null) {
            b.append("[rid ").append(id).append("] ");
        }
        String name = r.getLoggerName();
        b.append(name == null ? "" : name.substring(name.lastIndexOf('.') + 1)).append(": ").append(formatMessage(r));
        if (color != null) {
            b.append(RESET);
        }
        b.append(System.lineSeparator());
        if (r.getThrown() != null) {
            StringWriter sw = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(sw));
            b.append(sw);
        }
        return b.toString();
    }

    /** Red for errors, yellow for warnings, dim for debug; plain for information. */
    private static String color(Level l) {
        int v = l.intValue();
        return v >= Level.SEVERE.intValue() ? "\u001b[31m" : v >= Level.WARNING.intValue() ? "\u001b[33m"
                : v >= Level.INFO.intValue() ? null : "\u001b[2m";
    }

    private static String level(Level l) {
        int v = l.intValue();
        return v >= Level.SEVERE.intValue() ? "E" : v >= Level.WARNING.intValue() ? "W"
                : v >= Level.INFO.intValue() ? "I" : "D";
    }
}
