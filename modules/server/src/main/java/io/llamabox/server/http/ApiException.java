package io.llamabox.server.http;

/** A request the API refuses, with the kind that decides its status. */
public final class ApiException extends RuntimeException {
    private final ErrorKind kind;

    public ApiException(ErrorKind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    public static ApiException invalid(String message) {
        return new ApiException(ErrorKind.INVALID_REQUEST, message);
    }

    public static ApiException loading() {
        return new ApiException(ErrorKind.UNAVAILABLE, "Loading model");
    }
}
