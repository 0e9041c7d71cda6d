package io.llamabox.chat.jinja;

/** A rendering error raised where the source position is not known; the renderer adds it. */
final class EvalError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    EvalError(String message) {
        super(message);
    }
}
