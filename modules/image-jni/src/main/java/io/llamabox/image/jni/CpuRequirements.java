package io.llamabox.image.jni;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The processor features the image library was compiled for ({@code libllamabox-image.cpu} beside it, written by
 * the build), checked against this processor before the library is loaded: the library's ggml is built for one
 * CPU feature set, and a processor without those features would stop the JVM with an illegal instruction in the
 * middle of a generation.
 */
final class CpuRequirements {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private CpuRequirements() {
    }

    /** Throws {@link UnsatisfiedLinkError} naming the missing features, when the build says and the host tells. */
    static void check(Path library) {
        Path description = library.resolveSibling("libllamabox-image.cpu");
        if (!Files.isRegularFile(description) || !Files.isReadable(CPUINFO)) {
            return;
        }
        Properties p = new Properties();
        try (var in = Files.newInputStream(description)) {
            p.load(in);
        } catch (IOException e) {
            return;
        }
        List<String> needed = words(p.getProperty("features", ""));
        if (needed.isEmpty()) {
            return;
        }
        Set<String> has;
        try {
            has = flags(Files.readAllLines(CPUINFO));
        } catch (IOException e) {
            return;
        }
        List<String> missing = missing(needed, has);
        if (!missing.isEmpty()) {
            throw new UnsatisfiedLinkError("the image library " + library + " was built for the CPU variant "
                    + p.getProperty("variant", "?") + " (" + String.join(" ", needed) + "); this processor lacks "
                    + String.join(" ", missing) + ": build it for one this processor has, for example with"
                    + " -Dllamabox.image.cpu.variant=x64");
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

    static List<String> missing(List<String> needed, Set<String> has) {
        return has.isEmpty() ? List.of() : needed.stream().filter(f -> !has.contains(f)).toList();
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }
}
