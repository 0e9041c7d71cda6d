package io.llamabox.server.generate;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.llamabox.server.http.ApiErrors;
import io.llamabox.server.http.ErrorBody;
import io.llamabox.server.http.Json;
import io.llamabox.server.http.Responses;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer to a non-streaming generation (text or images). One that finishes within
 * {@link #HEARTBEAT_NANOS} is sent as usual. A longer one starts a 200 {@code application/json} response
 * and writes a space every {@link #HEARTBEAT_NANOS} until the body follows (JSON allows leading
 * whitespace): Helidon says nothing of a client that went away until a write fails, and a failed write
 * ends the request, whose run ({@link GenerationRun}, {@code ImageRun}) then cancels its tasks and frees
 * their slots. A failure after the response has started is written as the error body, as the status is
 * sent already.
 */
public final class HeldResponse {
    private static final Logger LOG = LoggerFactory.getLogger(HeldResponse.class);
    /** How long a response waits in silence before it writes to notice a departed client. */
    public static final long HEARTBEAT_NANOS = 1_000_000_000L;

    /** Work the answer waits for. */
    @FunctionalInterface
    public interface Pending {
        /**
         * Waits for the work until {@code deadlineNanos} ({@link System#nanoTime()}); returns whether it is
         * done, or throws its failure.
         */
        boolean awaitUntil(long deadlineNanos) throws InterruptedException;
    }

    private HeldResponse() {
    }

    /** Waits for {@code run} and answers with {@code body} of its results. */
    public static void send(ServerResponse res, GenerationRun run, Function<List<ChoiceResult>, Object> body)
            throws InterruptedException {
        send(res, run::awaitAll, () -> body.apply(run.results()));
    }

    /** Waits for {@code pending} and answers with {@code body}, read once it is done. */
    public static void send(ServerResponse res, Pending pending, Supplier<Object> body) throws InterruptedException {
        if (pending.awaitUntil(System.nanoTime() + HEARTBEAT_NANOS)) {
            Responses.json(res, body.get());
            return;
        }
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, Responses.JSON);
        OutputStream out = res.outputStream();
        try {
            byte[] answer = null;
            while (answer == null) {
                try {
                    if (pending.awaitUntil(System.nanoTime() + HEARTBEAT_NANOS)) {
                        answer = Json.bytes(body.get());
                    }
                } catch (RuntimeException e) {
                    ErrorBody error = ApiErrors.describe(e);
                    LOG.warn("failed after the response had started: {}", error.error().message());
                    answer = Json.bytes(error);
                }
                if (answer == null) {
                    out.write(' ');
                    out.flush();
                }
            }
            out.write(answer);
            out.close();
        } catch (IOException | UncheckedIOException e) {
            LOG.info("the client went away before the answer was ready; its generation is cancelled");
        }
    }
}
