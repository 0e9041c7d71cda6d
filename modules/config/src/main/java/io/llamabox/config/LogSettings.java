package io.llamabox.config;

/**
 * Logging ({@code -v}, {@code -lv}, {@code --log-colors}).
 *
 * @param verbosity messages with a higher verbosity are dropped; {@link #LOG_EVERYTHING} keeps all
 * @param colors whether log lines are coloured
 */
public record LogSettings(int verbosity, boolean colors) {
    /** The threshold {@code -v, --verbose} sets: nothing is dropped. */
    public static final int LOG_EVERYTHING = Integer.MAX_VALUE;
    public static final int DEFAULT_VERBOSITY = 0;

    /** Verbosity 0, no colours. */
    public static LogSettings defaults() {
        return new LogSettings(DEFAULT_VERBOSITY, false);
    }

    /** Whether every message is logged ({@code -v}). */
    public boolean verbose() {
        return verbosity == LOG_EVERYTHING;
    }
}
