package io.llamabox.cli.flags;

import java.util.List;
import java.util.StringJoiner;

/** Renders the {@code --help} text: flags grouped by section, then the environment variables. */
public final class UsageText {
    private static final int INDENT = 2;
    private static final int DESCRIPTION_COLUMN = 40;

    private UsageText() {
    }

    /** The whole usage text, without a final line break. */
    public static String render(List<Flag> flags, List<EnvVariable> environment) {
        StringJoiner out = new StringJoiner("\n");
        out.add("usage: llama-box [options]");
        Section current = null;
        for (Flag flag : flags) {
            if (flag.section() != current) {
                current = flag.section();
                out.add("");
                out.add(current.heading() + ":");
                out.add("");
            }
            String names = flag.displayNames() + (flag.paramLabel().isEmpty() ? "" : " " + flag.paramLabel());
            entry(out, names, flag.help());
        }
        out.add("");
        out.add("Available environment variables (if the corresponding command-line option is not provided):");
        out.add("(switches take 1, true, on, yes to enable and 0, false, off, no to disable)");
        out.add("");
        for (EnvVariable variable : environment) {
            entry(out, variable.name(), List.of(variable.description()));
        }
        return out.toString();
    }

    private static void entry(StringJoiner out, String left, List<String> description) {
        String head = " ".repeat(INDENT) + left;
        String pad = " ".repeat(DESCRIPTION_COLUMN);
        int first = 0;
        if (head.length() < DESCRIPTION_COLUMN - 1 && !description.isEmpty()) {
            out.add(head + " ".repeat(DESCRIPTION_COLUMN - head.length()) + description.getFirst());
            first = 1;
        } else {
            out.add(head);
        }
        for (String line : description.subList(first, description.size())) {
            out.add(pad + line);
        }
    }
}
