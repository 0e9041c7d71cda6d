package io.llamabox.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The product spec's usage text and environment variable list, read from {@code ../shared/spec}. */
final class SpecText {
    private static final String SPEC = "shared/spec/llama-box-README.txt";
    private static final Pattern FLAG = Pattern.compile("-{1,2}[A-Za-z][A-Za-z0-9-]*");
    private static final Pattern ENV_NAME = Pattern.compile("\\bLLAMA_[A-Z_]+\\b");
    private static final Pattern ENV_FLAG = Pattern.compile("(?:^|[\\s,]|to)(-{1,2}[A-Za-z][A-Za-z0-9-]*)");

    private final List<String> usage;
    private final List<String> environment;

    private SpecText(List<String> lines) {
        int start = indexOf(lines, "usage: llama-box [options]");
        int env = indexOf(lines, "Available environment variables");
        int end = indexOf(lines, "The available endpoints");
        usage = lines.subList(start + 1, env);
        environment = lines.subList(env + 1, end);
    }

    static SpecText load() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path spec = p.resolve(SPEC);
            if (Files.isRegularFile(spec)) {
                try {
                    return new SpecText(Files.readAllLines(spec));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("no " + SPEC + " in " + dir + " or any folder above it");
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new IllegalStateException("the spec has no line starting with '" + prefix + "'");
    }

    /** Flag names that start a line of the usage text, e.g. "-to --timeout N ..." gives -to and --timeout. */
    Set<String> usageFlags() {
        Set<String> names = new LinkedHashSet<>();
        for (String line : usage) {
            for (String token : line.strip().split("[,\\s]+")) {
                if (!FLAG.matcher(token).matches()) {
                    break;
                }
                names.add(token);
            }
        }
        return names;
    }

    /** The group headings of the usage text, e.g. "server/completion". */
    List<String> headings() {
        return usage.stream().filter(l -> l.matches("[a-z/-]+:")).map(l -> l.substring(0, l.length() - 1))
                .toList();
    }

    /** Every variable name of the environment list. */
    Set<String> environmentVariables() {
        Set<String> names = new LinkedHashSet<>();
        for (String line : environment) {
            Matcher m = ENV_NAME.matcher(line);
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    /** Every flag name that the environment list mentions. */
    Set<String> environmentFlags() {
        Set<String> names = new LinkedHashSet<>();
        for (String line : environment) {
            Matcher m = ENV_FLAG.matcher(line);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
