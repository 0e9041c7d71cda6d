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
            default -> {
                LOG.error("request failed", t);
                yield of(ErrorKind.INTERNAL, t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
            }
        };
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException
                || t instanceof UncheckedIOException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
