package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Log lines: plain by default; with --log-colors, warnings yellow, errors red, information plain. */
class LogLineFormatTest {
    private static LogRecord record(Level level, String message) {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName("io.llamabox.engine.SlotScheduler");
        return r;
    }

    @Test
    void linesCarryNoEscapesWithoutColors() {
        String line = new LogLineFormat().format(record(Level.WARNING, "careful"));
        assertFalse(line.contains("\u001b"), line);
        assertTrue(line.endsWith(" W SlotScheduler: careful" + System.lineSeparator()), line);
    }

    @Test
    void colorsMarkWarningsAndErrorsAndResetAtTheEndOfTheLine() {
        LogLineFormat f = new LogLineFormat(true);
        String warn = f.format(record(Level.WARNING, "careful"));
        String error = f.format(record(Level.SEVERE, "broken"));
        String info = f.format(record(Level.INFO, "fine"));
        assertTrue(warn.contains("\u001b[33mW SlotScheduler: careful\u001b[0m"), warn);
        assertTrue(error.contains("\u001b[31mE SlotScheduler: broken\u001b[0m"), error);
        assertFalse(info.contains("\u001b"), info);
        assertEquals(1, warn.lines().count());
    }
}
