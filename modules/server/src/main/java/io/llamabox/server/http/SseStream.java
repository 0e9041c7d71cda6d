package io.llamabox.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A {@code text/event-stream} response: {@code data: <json>} events are gathered and go out together,
 * as one write, when the caller flushes. Any failure to write means the client went away and surfaces
 * as {@link ClientGoneException}.
 */
public final class SseStream implements AutoCloseable {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(1024);

    private SseStream(OutputStream out) {
        this.out = out;
    }

    public static SseStream open(ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header("X-Accel-Buffering", "no");
        return new SseStream(res.outputStream());
    }

    /** Queues one {@code data:} event holding the value as JSON. */
    public void data(Object value) {
        pending.writeBytes(DATA);
        pending.writeBytes(Json.bytes(value));
        pending.writeBytes(END);
    }

    /** Queues OpenAI's end marker, {@code data: [DONE]}. */
    public void done() {
        pending.writeBytes(DONE);
    }

    /**
     * Queues a comment, which clients ignore: written while nothing else happens, it keeps proxies from
     * timing out and shows whether the client is still there.
     */
    public void keepAlive() {
        pending.writeBytes(KEEP_ALIVE);
    }

    /** Sends what was queued. */
    public void flush() {
        if (pending.size() == 0) {
            return;
        }
        try {
            pending.writeTo(out);
            pending.reset();
            out.flush();
        } catch (Exception e) {
            throw new ClientGoneException(e);
        }
    }

    @Override
    public void close() {
        flush();
        try {
            out.close();
        } catch (Exception e) {
            throw new ClientGoneException(e);
        }
    }

    /** The client closed the connection while events were being written. */
    public static final class ClientGoneException extends RuntimeException {
        ClientGoneException(Throwable cause) {
            super("the client closed the connection", cause);
        }
    }
}
