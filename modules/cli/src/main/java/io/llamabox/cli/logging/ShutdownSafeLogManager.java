package io.llamabox.cli.logging;

import java.util.logging.LogManager;

/**
 * The JDK's log manager closes every handler in its own shutdown hook, which would silence the log
 * lines of our shutdown (requests ending, engines stopping). This one keeps its handlers until the
 * process is gone; console handlers flush every record, so nothing is lost.
 */
public final class ShutdownSafeLogManager extends LogManager {
    @Override
    public void reset() {
        // kept open on purpose: see the class comment
    }
}
