package io.llamabox.chat;

/**
 * A conversation that cannot be turned into a prompt, or a template that cannot be used. Thrown by
 * {@link ChatTemplate#apply} for a request (the HTTP layer answers 400), and by the factories of
 * {@link ChatTemplate} for a template that does not parse or a name that is not a built-in template.
 */
public final class ChatTemplateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the prompt could not be made. */
    public enum Reason {
        /** The template source is not valid Jinja, or the built-in template name is unknown. */
        INVALID_TEMPLATE,
        /** The template refused the conversation through {@code raise_exception(message)}. */
        REFUSED_BY_TEMPLATE,
        /** The template failed while rendering this conversation (a type error, an unknown filter...). */
        RENDER_FAILED,
        /** The messages or tools are malformed (no role, content of a wrong type, bad tool-call arguments...). */
        INVALID_REQUEST
    }

    private final Reason reason;

    public ChatTemplateException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ChatTemplateException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
