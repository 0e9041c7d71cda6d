package io.llamabox.cli.flags;

import java.util.List;
import java.util.Objects;

/**
 * One command-line flag: its names, the values it takes, its usage text and its effect.
 *
 * @param section usage group
 * @param names every spelling, in the order the usage text shows them
 * @param paramLabel what the values are called in the usage text; empty for switches
 * @param arity how many values follow the flag
 * @param help description lines
 * @param action the effect of one occurrence
 */
public record Flag(Section section, List<String> names, String paramLabel, int arity, List<String> help,
        FlagAction action) {
    public Flag {
        Objects.requireNonNull(section, "section");
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a flag needs a name");
        }
        Objects.requireNonNull(paramLabel, "paramLabel");
        help = List.copyOf(help);
        Objects.requireNonNull(action, "action");
    }

    /** The name used in messages: the first long name, or the first name when there is none. */
    public String primaryName() {
        return names.stream().filter(n -> n.startsWith("--")).findFirst().orElse(names.getFirst());
    }

    /** Every name, comma-separated, as the usage text lists them. */
    public String displayNames() {
        return String.join(", ", names);
    }
}
