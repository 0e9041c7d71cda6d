package io.llamabox.server.http;

import java.util.ArrayList;
import java.util.List;

/**
 * The closing of a request's work, which the request's thread and a drain may both ask for: it happens once, and
 * the actions waiting for it run after it (an action registered later runs at once).
 */
public final class CloseOnce {
    private final List<Runnable> actions = new ArrayList<>();
    private boolean closed;

    /** Runs {@code closing}, then the waiting actions, the first time it is called; later calls do nothing. */
    public void close(Runnable closing) {
        List<Runnable> waiting;
        synchronized (actions) {
            if (closed) {
                return;
            }
            closed = true;
            waiting = List.copyOf(actions);
        }
        closing.run();
        waiting.forEach(Runnable::run);
    }

    /** Runs {@code action} once closed: later, or at once if it already is. */
    public void whenClosed(Runnable action) {
        synchronized (actions) {
            if (!closed) {
                actions.add(action);
                return;
            }
        }
        action.run();
    }
}
