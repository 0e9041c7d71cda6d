package io.llamabox.server.connection;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.task.InterruptableTask;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.time.Duration;

/**
 * An HTTP/1.x connection: once its first request line has arrived, Helidon's HTTP/1.1 handler serves
 * it, directly for HTTP/1.1 and through {@link Http10Context} for HTTP/1.0.
 */
final class VersionedConnection implements ServerConnection, InterruptableTask<Void> {
    private final ConnectionContext ctx;
    private final ServerConnectionSelector http11;
    private final int maxLine;
    private volatile ServerConnection handler;
    private volatile Thread thread;
    private volatile boolean closed;

    VersionedConnection(ConnectionContext ctx, ServerConnectionSelector http11, int maxLine) {
        this.ctx = ctx;
        this.http11 = http11;
        this.maxLine = maxLine;
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
        thread = Thread.currentThread();
        ServerConnection h = http11.connection(http10() ? Http10Context.of(ctx) : ctx);
        handler = h;
        if (!closed) {
            h.handle(limit);
        }
    }

    /** Whether the first request line says HTTP/1.0; waits for it, reading nothing away. */
    private boolean http10() {
        DataReader reader = ctx.dataReader();
        int eol;
        try {
            eol = reader.findNewLine(maxLine);
        } catch (DataReader.InsufficientDataAvailableException e) {
            throw new CloseConnectionException("the connection closed before its first request", e);
        } catch (DataReader.IncorrectNewLineException e) {
            return false; // Helidon's handler answers the malformed line
        }
        return eol < maxLine && reader.getBuffer(eol).readString(eol).endsWith(" HTTP/1.0");
    }

    @Override
    public Duration idleTime() {
        ServerConnection h = handler;
        return h == null ? Duration.ZERO : h.idleTime();
    }

    @Override
    public void close(boolean interrupt) {
        closed = true;
        ServerConnection h = handler;
        if (h != null) {
            h.close(interrupt);
        } else if (thread != null) {
            thread.interrupt(); // still waiting for the first line: nothing to lose
        }
    }

    @Override
    public boolean canInterrupt() {
        ServerConnection h = handler;
        return h == null || h instanceof InterruptableTask<?> t && t.canInterrupt();
    }
}
