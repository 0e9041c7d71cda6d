package io.llamabox.cli.launch;

import io.llamabox.config.LogSettings;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Sets up java.util.logging (the SLF4J binding of the server) from the verbosity flags. */
final class Logging {
    private Logging() {
    }

    static void configure(LogSettings log) {
        Level level = log.verbosity() >= 1 ? Level.FINEST : Level.INFO;
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler console = new ConsoleHandler();
        console.setFormatter(new LogLineFormat(log.colors()));
        console.setLevel(level);
        root.addHandler(console);
        root.setLevel(level);
        // Helidon and the JDK are chatty below INFO
        Logger.getLogger("io.helidon").setLevel(log.verbosity() >= 1 ? Level.FINE : Level.WARNING);
    }
}
