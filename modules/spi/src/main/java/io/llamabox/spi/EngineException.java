package io.llamabox.spi;

/**
 * A request the engine cannot serve. {@code clientError} separates the caller's mistakes (a prompt
 * too long for the slot's context, an invalid grammar: HTTP 400) from server failures (500), and
 * {@code unavailable} marks a temporary refusal (503).
 */
public class EngineException extends RuntimeException {
    public enum Kind { INVALID_REQUEST, UNAVAILABLE, INTERNAL }

    private final Kind kind;

    public EngineException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
