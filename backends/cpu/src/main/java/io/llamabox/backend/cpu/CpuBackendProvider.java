package io.llamabox.backend.cpu;

import io.llamabox.spi.BackendProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Chooses the best ggml CPU plugin for this processor from the plugin directory: the system property
 * {@code llamabox.ggml.backends}, the variable {@code LLAMABOX_GGML_BACKENDS}, a runtime image's
 * {@code lib/ggml}, or the distribution's ggml backend directory.
 */
public final class CpuBackendProvider implements BackendProvider {
    public static final String DIRECTORY_PROPERTY = "llamabox.ggml.backends";
    public static final String DIRECTORY_VARIABLE = "LLAMABOX_GGML_BACKENDS";

    private final Set<String> cpuFlags;
    private final List<Path> searchPath;
    private final String arch;

    /** The provider for this machine, as {@link java.util.ServiceLoader} creates it. */
    public CpuBackendProvider() {
        this(readCpuFlags(Path.of("/proc/cpuinfo")), defaultSearchPath(), System.getProperty("os.arch", ""));
    }

    CpuBackendProvider(Set<String> cpuFlags, List<Path> searchPath, String arch) {
        this.cpuFlags = Set.copyOf(cpuFlags);
        this.searchPath = List.copyOf(searchPath);
        this.arch = arch;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String registryName() {
        return "CPU";
    }

    @Override
    public Availability probe() {
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return Availability.no("the CPU plugins here are built for x86-64; this JVM runs on " + arch);
        }
        CpuVariant v = chosen();
        if (v == null) {
            return Availability.no("no ggml CPU plugin (libggml-cpu-*.so) for this processor was found in " + searchPath
                    + "; install ggml's CPU backends or set -D" + DIRECTORY_PROPERTY);
        }
        return Availability.yes("CPU variant " + v.pluginName + (v.avx512() ? " (AVX-512)" : "") + " from " + plugin(v));
    }

    @Override
    public List<Path> plugins() {
        CpuVariant v = chosen();
        return v == null ? List.of() : List.of(plugin(v));
    }

    /** The best variant this CPU supports whose plugin file exists, or null. */
    CpuVariant chosen() {
        for (CpuVariant v : CpuVariant.supported(cpuFlags)) {
            if (plugin(v) != null) {
                return v;
            }
        }
        return null;
    }

    private Path plugin(CpuVariant v) {
        for (Path dir : searchPath) {
            Path p = dir.resolve(v.fileName());
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    static List<Path> defaultSearchPath() {
        List<Path> dirs = new ArrayList<>();
        String prop = System.getProperty(DIRECTORY_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            dirs.add(Path.of(prop));
        }
        String env = System.getenv(DIRECTORY_VARIABLE);
        if (env != null && !env.isBlank()) {
            dirs.add(Path.of(env));
        }
        dirs.add(Path.of(System.getProperty("java.home"), "lib", "ggml"));
        dirs.add(Path.of("/usr/lib/x86_64-linux-gnu/ggml/backends0"));
        dirs.add(Path.of("/usr/local/lib/ggml/backends0"));
        return dirs;
    }

    static Set<String> readCpuFlags(Path cpuinfo) {
        Set<String> flags = new HashSet<>();
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("flags")) {
                    int colon = line.indexOf(':');
                    for (String f : line.substring(colon + 1).trim().split("\\s+")) {
                        flags.add(f.toLowerCase(Locale.ROOT));
                    }
                    break;
                }
            }
        } catch (IOException e) {
            return Set.of();
        }
        return flags;
    }
}
