package io.llamabox.chat.jinja;

/**
 * The value of a missing variable, attribute or item. Prints as nothing, is false, iterates as empty,
 * has length 0, and yields itself for any attribute or item; arithmetic on it is an error.
 */
final class Undefined {

    static final Undefined INSTANCE = new Undefined(null);

    /** What was looked up, for error messages; may be null. */
    final String hint;

    Undefined(String hint) {
        this.hint = hint;
    }

    static Undefined named(String hint) {
        return new Undefined(hint);
    }

    String describe() {
        return hint == null ? "value is undefined" : "'" + hint + "' is undefined";
    }

    @Override
    public String toString() {
        return "";
    }
}
