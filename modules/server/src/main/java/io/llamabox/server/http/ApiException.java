package io.llamabox.server.http;

/** A request the API refuses, with the kind that decides its status. */
public final class ApiException extends RuntimeException {
    private final ErrorKind kind;
    private final boolean stopping;

    public ApiException(ErrorKind kind, String message) {
        this(kind, message, false);
    }

    private ApiException(ErrorKind kind, String message, boolean stopping) {
        super(message, null, false, false);
        this.kind = kind;
        this.stopping = stopping;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** Whether the server refused because it is stopping: the answer then says when to retry. */
    public boolean stopping() {
        return stopping;
    }

    /** A 503 of a server that is shutting down. */
    public static ApiException stopping(String message) {
        return new ApiException(ErrorKind.UNAVAILABLE, message, true);
    }

    public static ApiException invalid(String message) {
        return new ApiException(ErrorKind.INVALID_REQUEST, message);
    }

    public static ApiException loading() {
        return new ApiException(ErrorKind.UNAVAILABLE, "Loading model");
    }
}
