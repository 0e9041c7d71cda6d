package io.llamabox.chat.schema;

/**
 * A JSON schema that cannot become a grammar: invalid, or using a feature constrained decoding does not
 * support. The message names the place in the schema (a JSON pointer) and the problem.
 */
public final class SchemaException extends IllegalArgumentException {
    private final String location;

    public SchemaException(String location, String problem) {
        super("at " + (location.isEmpty() ? "#" : location) + ": " + problem);
        this.location = location.isEmpty() ? "#" : location;
    }

    /** Where in the schema, as a JSON pointer fragment such as {@code #/properties/age}. */
    public String location() {
        return location;
    }
}
