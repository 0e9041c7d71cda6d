package io.llamabox.server.http;

import io.helidon.http.HttpException;
import io.llamabox.spi.EngineException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become HTTP statuses and OpenAI error bodies. */
public final class ApiErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);
    static final String STOPPING = "the server is shutting down";

    private ApiErrors() {
    }

    public static ErrorBody of(ErrorKind kind, String message) {
        return new ErrorBody(new ErrorBody.Detail(kind.status(), message, kind.type()));
    }

    /** The error body for a failure; unexpected ones are logged with their stack. */
    public static ErrorBody describe(Throwable failure) {
        Throwable t = unwrap(failure);
        return switch (t) {
            case ApiException e -> of(e.kind(), e.getMessage());
            case EngineException e -> of(switch (e.kind()) {
                case INVALID_REQUEST -> ErrorKind.INVALID_REQUEST;
                case UNAVAILABLE -> ErrorKind.UNAVAILABLE;
                case INTERNAL -> ErrorKind.INTERNAL;
            }, e.getMessage());
            case HttpException e -> of(ErrorKind.forStatus(e.status().code()), e.getMessage());
            // a request thread interrupted while it waited: only a stopping server does that
            case InterruptedException e -> of(ErrorKind.UNAVAILABLE, STOPPING);
            default -> {
                LOG.error("request failed", t);
                yield of(ErrorKind.INTERNAL, t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
            }
        };
    }

    /** Whether the failure is a refusal because the server is stopping. */
    public static boolean isStopping(Throwable failure) {
        Throwable t = unwrap(failure);
        return t instanceof InterruptedException || t instanceof ApiException e && e.stopping();
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException
                || t instanceof UncheckedIOException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
