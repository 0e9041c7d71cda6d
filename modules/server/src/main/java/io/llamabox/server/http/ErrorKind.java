package io.llamabox.server.http;

/** The kinds of error the API answers, each with its HTTP status and OpenAI error type. */
public enum ErrorKind {
    INVALID_REQUEST(400, "invalid_request_error"),
    NOT_FOUND(404, "not_found_error"),
    /** A requested token rate above the server's maximum. */
    RATE_REFUSED(410, "invalid_request_error"),
    TOO_LARGE(413, "invalid_request_error"),
    INTERNAL(500, "server_error"),
    NOT_SUPPORTED(501, "not_supported_error"),
    UNAVAILABLE(503, "unavailable_error");

    private final int status;
    private final String type;

    ErrorKind(int status, String type) {
        this.status = status;
        this.type = type;
    }

    /** The kind for a status another layer (Helidon) chose. */
    public static ErrorKind forStatus(int status) {
        for (ErrorKind k : values()) {
            if (k.status == status) {
                return k;
            }
        }
        return status >= 500 ? INTERNAL : INVALID_REQUEST;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }
}
