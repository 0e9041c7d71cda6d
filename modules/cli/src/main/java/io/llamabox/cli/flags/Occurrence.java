package io.llamabox.cli.flags;

import java.util.List;

/** One appearance of a flag on the command line, with the values that followed it. */
public record Occurrence(Flag flag, List<String> values) {
    public Occurrence {
        values = List.copyOf(values);
    }
}
