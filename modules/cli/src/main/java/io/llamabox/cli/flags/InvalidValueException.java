package io.llamabox.cli.flags;

/** A value that a flag or variable cannot take; the message says why, without naming the flag. */
public final class InvalidValueException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidValueException(String problem) {
        super(problem, null, false, false);
    }
}
