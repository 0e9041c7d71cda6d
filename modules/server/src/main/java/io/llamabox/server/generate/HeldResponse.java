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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer to a non-streaming generation. One that finishes within {@link #HEARTBEAT_NANOS} is sent
 * as usual. A longer one starts a 200 {@code application/json} response and writes a space every
 * {@link #HEARTBEAT_NANOS} until the body follows (JSON allows leading whitespace): Helidon says nothing
 * of a client that went away until a write fails, and a failed write ends the request, whose
 * {@link GenerationRun} then cancels its tasks and frees their slots. A failure after the response has
 * started is written as the error body, as the status is sent already.
 */
public final class HeldResponse {
    private static final Logger LOG = LoggerFactory.getLogger(HeldResponse.class);
    static final long HEARTBEAT_NANOS = 1_000_000_000L;

    private HeldResponse() {
    }

    /** Waits for {@code run} and answers with {@code body} of its results. */
    public static void send(ServerResponse res, GenerationRun run, Function<List<ChoiceResult>, Object> body)
            throws InterruptedException {
        if (run.awaitAll(System.nanoTime() + HEARTBEAT_NANOS)) {
            Responses.json(res, body.apply(run.results()));
            return;
        }
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, Responses.JSON);
        OutputStream out = res.outputStream();
        try {
            byte[] answer;
            try {
                while (!run.awaitAll(System.nanoTime() + HEARTBEAT_NANOS)) {
                    out.write(' ');
                    out.flush();
                }
                answer = Json.bytes(body.apply(run.results()));
            } catch (RuntimeException e) {
                ErrorBody error = ApiErrors.describe(e);
                LOG.warn("failed after the response had started: {}", error.error().message());
                answer = Json.bytes(error);
            }
            out.write(answer);
            out.close();
        } catch (IOException | UncheckedIOException e) {
            LOG.info("the client went away before the answer was ready; its generation is cancelled");
        }
    }
}
