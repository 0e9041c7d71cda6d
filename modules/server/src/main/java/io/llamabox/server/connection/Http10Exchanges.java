package io.llamabox.server.connection;

import java.util.ArrayDeque;

/**
 * What the request side of an HTTP/1.0 connection tells its response side: per request, in order,
 * whether the client asked to keep the connection and whether the answer has a body; and, the other
 * way, that a response ended the connection.
 */
final class Http10Exchanges {
    record Exchange(boolean keepAlive, boolean headRequest) {
    }

    /** A response nobody asked for (Helidon refusing bytes it could not read as a request): it closes. */
    private static final Exchange UNASKED = new Exchange(false, false);

    private final ArrayDeque<Exchange> open = new ArrayDeque<>();
    private volatile boolean closing;

    synchronized void requested(Exchange e) {
        open.add(e);
    }

    synchronized Exchange current() {
        Exchange e = open.peek();
        return e == null ? UNASKED : e;
    }

    synchronized void answered() {
        open.poll();
    }

    /** The last response has been sent: the connection ends, nothing more is read from it. */
    void close() {
        closing = true;
    }

    boolean closing() {
        return closing;
    }
}
