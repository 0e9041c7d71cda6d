package io.llamabox.backend.probe.testing;

import io.llamabox.backend.probe.Host;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A machine stood up in a temporary directory for probe tests: {@code /proc/cpuinfo}, libraries,
 * device nodes and ggml plugins (real ELF files that name their dependencies) are files under its root.
 */
public final class FakeMachine {
    /** Where Debian installs ggml's plugins on x86-64, the directory the fakes put them in. */
    public static final String PLUGINS = "/usr/lib/x86_64-linux-gnu/ggml/backends0";
    public static final String ARM_PLUGINS = "/usr/lib/aarch64-linux-gnu/ggml/backends0";

    private final Path root;
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, String> properties = new HashMap<>();

    private FakeMachine(Path root) {
        this.root = root;
    }

    public static FakeMachine at(Path root) {
        return new FakeMachine(root);
    }

    /** An x86 {@code /proc/cpuinfo} with these flags. */
    public FakeMachine x86Cpu(String... flags) {
        return text("/proc/cpuinfo", "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: " + String.join(" ", flags)
                + "\nbugs\t\t: spectre_v1\n\nprocessor\t: 1\nflags\t\t: " + String.join(" ", flags) + "\n");
    }

    /** An ARM {@code /proc/cpuinfo} with these features. */
    public FakeMachine armCpu(String... features) {
        return text("/proc/cpuinfo", "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: " + String.join(" ", features)
                + "\nCPU implementer\t: 0x41\n");
    }

    /** An empty file (a device node, a driver library, a manifest). */
    public FakeMachine file(String absolute) {
        return text(absolute, "");
    }

    public FakeMachine text(String absolute, String content) {
        Path p = host().file(absolute);
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public FakeMachine delete(String absolute) {
        try {
            Files.deleteIfExists(host().file(absolute));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A library file in the x86-64 multiarch directory. */
    public FakeMachine library(String fileName) {
        return file("/usr/lib/x86_64-linux-gnu/" + fileName);
    }

    /** A plugin in {@link #PLUGINS} that needs these libraries. */
    public FakeMachine plugin(String fileName, String... needed) {
        return pluginIn(PLUGINS, fileName, needed);
    }

    /** A plugin (an ELF file naming its dependencies) in {@code dir}. */
    public FakeMachine pluginIn(String dir, String fileName, String... needed) {
        Path p = host().file(dir + "/" + fileName);
        try {
            Files.createDirectories(p.getParent());
            ElfFixture.write(p, List.of(needed), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public FakeMachine env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public FakeMachine property(String name, String value) {
        properties.put(name, value);
        return this;
    }

    /** The machine as a Linux x86-64 host. */
    public Host host() {
        return host("Linux", "amd64");
    }

    public Host host(String os, String arch) {
        return Host.of(root, os, arch, env, properties);
    }
}
