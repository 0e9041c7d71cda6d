package io.llamabox.cli.flags;

import java.util.List;
import java.util.Objects;

/**
 * An environment variable that supplies a setting when the command line does not.
 *
 * @param name the variable's name
 * @param description the usage text line
 * @param overriddenBy flags whose presence on the command line makes the variable ignored
 * @param action the effect of the variable's value
 */
public record EnvVariable(String name, String description, List<Flag> overriddenBy, EnvAction action) {
    /** What a variable's value does to the draft. */
    @FunctionalInterface
    public interface EnvAction {
        void apply(Draft draft, String value) throws InvalidValueException;
    }

    public EnvVariable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        overriddenBy = List.copyOf(overriddenBy);
        Objects.requireNonNull(action, "action");
    }
}
