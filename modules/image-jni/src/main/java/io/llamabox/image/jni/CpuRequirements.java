package io.llamabox.image.jni;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * This processor's features, as {@code /proc/cpuinfo} names them: a build of the image library compiled for features
 * the processor lacks would stop the JVM with an illegal instruction in the middle of a generation, so the loader
 * compares them with each build's descriptor before loading one.
 */
final class CpuRequirements {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private CpuRequirements() {
    }

    /** This processor's flags; empty when the host does not tell (no {@code /proc/cpuinfo}, or no flags line). */
    static Set<String> hostFlags() {
        if (!Files.isReadable(CPUINFO)) {
            return Set.of();
        }
        try {
            return flags(Files.readAllLines(CPUINFO));
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** The flags of the first processor in {@code /proc/cpuinfo} lines. */
    static Set<String> flags(List<String> cpuinfo) {
        for (String line : cpuinfo) {
            if (line.startsWith("flags") && line.indexOf(':') > 0) {
                return new LinkedHashSet<>(words(line.substring(line.indexOf(':') + 1)));
            }
        }
        return Set.of();
    }

    /** The needed features not among the host's flags; none when the host's flags are unknown (empty). */
    static List<String> missing(List<String> needed, Set<String> has) {
        return has.isEmpty() ? List.of() : needed.stream().filter(f -> !has.contains(f)).toList();
    }

    /** The words of a space-separated list. */
    static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }
}
