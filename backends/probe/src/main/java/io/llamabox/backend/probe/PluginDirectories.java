package io.llamabox.backend.probe;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where ggml backend plugins ({@code libggml-*.so}) are looked up, first match wins: the directories of
 * the system property {@value #PROPERTY} and of the variable {@value #VARIABLE} (each a
 * {@code :}-separated list), a runtime image's {@code lib/ggml}, then the places distributions and
 * {@code cmake --install} of ggml put them.
 */
public final class PluginDirectories {
    public static final String PROPERTY = "llamabox.ggml.backends";
    public static final String VARIABLE = "LLAMABOX_GGML_BACKENDS";

    private PluginDirectories() {
    }

    /** The directories, in search order. */
    public static List<String> of(Host host) {
        Set<String> dirs = new LinkedHashSet<>();
        host.property(PROPERTY).ifPresent(v -> dirs.addAll(split(v)));
        host.env(VARIABLE).ifPresent(v -> dirs.addAll(split(v)));
        host.property("java.home").ifPresent(h -> dirs.add(h + "/lib/ggml"));
        dirs.add("/usr/lib/" + host.multiarch() + "/ggml/backends0");
        dirs.add("/usr/lib64/ggml/backends0");
        dirs.add("/usr/local/lib/ggml/backends0");
        dirs.add("/usr/local/bin");
        dirs.add("/usr/local/lib");
        if (host.os().equals("macos")) {
            dirs.add("/opt/homebrew/bin");
            dirs.add("/opt/homebrew/lib");
        }
        return List.copyOf(dirs);
    }

    /** The first plugin of this file name, as a path of the JVM's file system. */
    public static Optional<Plugin> find(Host host, String fileName) {
        for (String dir : of(host)) {
            String p = dir + "/" + fileName;
            if (java.nio.file.Files.isRegularFile(host.file(p))) {
                return Optional.of(new Plugin(p, host.file(p)));
            }
        }
        return Optional.empty();
    }

    /** A plugin file: {@code name} as the host spells it, {@code path} where the JVM opens it. */
    public record Plugin(String name, java.nio.file.Path path) {
    }

    private static List<String> split(String list) {
        List<String> out = new ArrayList<>();
        for (String d : list.split(":")) {
            if (!d.isBlank()) {
                out.add(d.strip());
            }
        }
        return out;
    }
}
