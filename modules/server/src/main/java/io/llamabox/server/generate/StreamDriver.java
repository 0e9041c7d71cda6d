package io.llamabox.server.generate;

import io.helidon.webserver.http.ServerResponse;
import io.llamabox.server.http.ApiErrors;
import io.llamabox.server.http.SseStream;
import io.llamabox.spi.FinishReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a run to the client as events arrive, flushing after each batch the engine has produced.
 * The response starts with the first event, so a request the engine refuses right away still gets a
 * proper error status; a failure after that becomes an error event. A failed write means the client
 * left: the run's tasks are cancelled.
 */
public final class StreamDriver {
    private static final Logger LOG = LoggerFactory.getLogger(StreamDriver.class);

    private StreamDriver() {
    }

    public static void run(GenerationRun run, ServerResponse res, StreamFormat format) throws InterruptedException {
        GenerationEvent event = run.next();
        if (event instanceof GenerationEvent.Failed f) {
            throw f.error();
        }
        if (event instanceof GenerationEvent.Finished f && f.reason() == FinishReason.CANCELLED) {
            throw GenerationRun.cancelled();
        }
        SseStream out = SseStream.open(res);
        try {
            while (true) {
                for (; event != null; event = run.poll()) {
                    if (!dispatch(out, run, format, event)) {
                        out.flush();
                        out.close();
                        return;
                    }
                }
                out.flush();
                if (run.ended()) {
                    break;
                }
                event = run.next();
            }
            format.end(out, run.results());
            out.flush();
            out.close();
        } catch (SseStream.ClientGoneException gone) {
            run.close();
            LOG.info("the client closed the connection; its generation was cancelled");
        }
    }

    /** Writes one event; false when it ended the stream with an error event. */
    private static boolean dispatch(SseStream out, GenerationRun run, StreamFormat format, GenerationEvent event) {
        ChoiceResult choice = run.results().get(event.index());
        switch (event) {
            case GenerationEvent.Started s -> format.started(out, choice);
            case GenerationEvent.Text t -> format.text(out, choice, t);
            case GenerationEvent.Finished f -> {
                if (f.reason() == FinishReason.CANCELLED) {
                    // the server is stopping: a last event in OpenAI's error shape, then the usual end marker
                    out.data(ApiErrors.describe(GenerationRun.cancelled()));
                    out.done();
                    return false;
                }
                format.finished(out, choice);
            }
            case GenerationEvent.Failed f -> {
                out.data(ApiErrors.describe(f.error()));
                return false;
            }
        }
        return true;
    }
}
