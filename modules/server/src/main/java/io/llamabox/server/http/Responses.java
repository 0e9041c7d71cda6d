package io.llamabox.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes JSON bodies and error bodies. */
public final class Responses {
    private static final Logger LOG = LoggerFactory.getLogger(Responses.class);
    public static final String JSON = "application/json; charset=utf-8";

    private Responses() {
    }

    public static void json(ServerResponse res, Object body) {
        json(res, 200, body);
    }

    public static void json(ServerResponse res, int status, Object body) {
        byte[] bytes = Json.bytes(body);
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, JSON);
        res.send(bytes);
    }

    /**
     * Answers a failure in OpenAI's error shape, unless the response is already under way. A refusal of a
     * stopping server says when to retry.
     */
    public static void error(ServerResponse res, Throwable failure) {
        ErrorBody body = ApiErrors.describe(failure);
        if (res.isSent()) {
            LOG.warn("failed after the response was sent: {}", body.error().message());
            return;
        }
        try {
            if (ApiErrors.isStopping(failure)) {
                res.header(HeaderNames.RETRY_AFTER, Integer.toString(Draining.RETRY_AFTER_SECONDS));
                res.header(HeaderNames.CONNECTION, "close");
            }
            json(res, body.status(), body);
        } catch (IllegalStateException e) {
            LOG.warn("failed after the response had started: {}", body.error().message());
        }
    }
}
