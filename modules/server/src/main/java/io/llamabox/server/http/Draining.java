package io.llamabox.server.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's way out on SIGTERM or SIGINT, as a balancer expects it: from {@link #drain} on, every new
 * request (health checks included) is answered 503 with {@code Retry-After}; work still waiting for a slot
 * is cancelled, which answers its request 503 as well; work already running may go on for the grace
 * period and is then cancelled, which ends a stream with an error event and {@code [DONE]}.
 * {@link #drain} returns once every request has been answered.
 */
public final class Draining {
    /**
     * The {@code Retry-After} of a stopping server's 503s, in seconds: long enough for a balancer to have
     * taken this server out, short enough for a client to come back soon to another one or to a restart.
     */
    public static final int RETRY_AFTER_SECONDS = 5;
    /** A hang guard for answers still being written once their work was cancelled. */
    private static final Duration LAST_WRITES = Duration.ofSeconds(3);
    private static final Logger LOG = LoggerFactory.getLogger(Draining.class);

    /** Work of a request that a drain can end: an engine run. */
    public interface Work {
        /** Whether the engine has begun it (a slot holds it), rather than it waiting for a slot. */
        boolean started();

        /** Cancels what has not ended; the request answers the cancellation itself. */
        void close();

        /** Runs {@code action} once the work is closed (at once if it is already). */
        void whenClosed(Runnable action);
    }

    private final Set<Work> work = ConcurrentHashMap.newKeySet();
    private final Object requestsLock = new Object();
    private volatile boolean draining;
    private int requests;

    public boolean isDraining() {
        return draining;
    }

    /**
     * Tracks a request's work until it is closed and returns it; work that arrives while the server
     * drains is cancelled unless the engine already began it.
     */
    public <W extends Work> W admit(W w) {
        work.add(w);
        w.whenClosed(() -> work.remove(w));
        if (draining && !w.started()) {
            w.close();
        }
        return w;
    }

    void requestStarted() {
        synchronized (requestsLock) {
            requests++;
        }
    }

    void requestEnded() {
        synchronized (requestsLock) {
            requests--;
            requestsLock.notifyAll();
        }
    }

    /**
     * Drains the server: refuses new requests and waiting work at once, lets running work go on for
     * {@code grace}, then cancels it, and returns when every request has been answered.
     */
    public void drain(Duration grace) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + grace.toNanos();
        int waiting = cancel(false);
        LOG.info("draining: new requests get 503; {} waiting generation(s) cancelled, {} running may go on for {} s",
                waiting, work.size(), grace.toSeconds());
        if (!awaitRequests(deadline)) {
            int running = cancel(true);
            LOG.info("draining: the grace period is over; {} running generation(s) end with an error event", running);
            if (!awaitRequests(System.nanoTime() + LAST_WRITES.toNanos())) {
                LOG.warn("draining: requests still open after their generations were cancelled");
            }
        }
    }

    private int cancel(boolean running) {
        int n = 0;
        for (Work w : work) {
            if (running || !w.started()) {
                w.close();
                n++;
            }
        }
        return n;
    }

    private boolean awaitRequests(long deadlineNanos) throws InterruptedException {
        synchronized (requestsLock) {
            while (requests > 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                requestsLock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }
}
