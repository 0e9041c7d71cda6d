package io.llamabox.cli.flags;

import java.util.List;

/** What one occurrence of a flag does to the draft, given the values that followed it. */
@FunctionalInterface
public interface FlagAction {
    void apply(Draft draft, List<String> values) throws InvalidValueException;
}
