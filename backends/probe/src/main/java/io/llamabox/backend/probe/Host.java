package io.llamabox.backend.probe;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The machine as backend providers see it: its files (every absolute path is taken under {@link
 * #root()}, so a test can stand up a fake machine in a temporary directory), environment, system
 * properties, operating system and architecture.
 */
public final class Host {
    private final Path root;
    private final String os;
    private final String arch;
    private final Map<String, String> env;
    private final Map<String, String> properties;

    /**
     * The {@code --library-path} that the dynamic loader was started with, which it searches instead of
     * {@code LD_LIBRARY_PATH}: a runtime image's launcher starts Java through the image's own loader so.
     */
    public static final String LOADER_LIBRARY_PATH = "llamabox.loader.library.path";

    private Host(Path root, String os, String arch, Map<String, String> env, Map<String, String> properties) {
        this.root = root;
        this.os = normalizeOs(os);
        this.arch = normalizeArch(arch);
        this.env = Map.copyOf(env);
        this.properties = Map.copyOf(properties);
    }

    /** This machine. */
    public static Host current() {
        Map<String, String> props = new java.util.HashMap<>();
        for (String key : List.of("java.home", PluginDirectories.PROPERTY, LOADER_LIBRARY_PATH)) {
            String v = System.getProperty(key);
            if (v != null) {
                props.put(key, v);
            }
        }
        return new Host(Path.of("/"), System.getProperty("os.name", ""), System.getProperty("os.arch", ""),
                System.getenv(), props);
    }

    /**
     * A machine whose file system starts at {@code root}. {@code os} and {@code arch} are spelled as Java
     * spells them ({@code Linux}, {@code Mac OS X}; {@code amd64}, {@code aarch64}).
     */
    public static Host of(Path root, String os, String arch, Map<String, String> env, Map<String, String> properties) {
        return new Host(root, os, arch, env, properties);
    }

    /** {@code linux}, {@code macos}, {@code windows} or the lower-cased name Java reports. */
    public String os() {
        return os;
    }

    /** {@code x86_64}, {@code aarch64} or the name Java reports. */
    public String arch() {
        return arch;
    }

    public Path root() {
        return root;
    }

    /** The Debian multiarch directory name of this architecture, e.g. {@code x86_64-linux-gnu}. */
    public String multiarch() {
        return arch + "-linux-gnu";
    }

    public Optional<String> env(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }

    public Optional<String> property(String name) {
        return Optional.ofNullable(properties.get(name)).filter(v -> !v.isBlank());
    }

    /** An absolute path of this machine as a path of the file system the JVM sees. */
    public Path file(String absolute) {
        String rel = absolute.replaceFirst("^/+", "");
        return rel.isEmpty() ? root : root.resolve(rel);
    }

    public boolean exists(String absolute) {
        return Files.exists(file(absolute));
    }

    /** A file's text, or empty if it cannot be read. */
    public Optional<String> read(String absolute) {
        try {
            return Optional.of(Files.readString(file(absolute)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The paths (as this machine spells them) that match a pattern whose last element may hold glob
     * characters, e.g. {@code /dev/dri/renderD*}, sorted.
     */
    public List<String> glob(String pattern) {
        int slash = pattern.lastIndexOf('/');
        String dir = slash <= 0 ? "/" : pattern.substring(0, slash);
        String name = pattern.substring(slash + 1);
        Path d = file(dir);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + name);
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
            for (Path p : s) {
                if (m.matches(p.getFileName())) {
                    out.add((dir.equals("/") ? "" : dir) + "/" + p.getFileName());
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }

    /**
     * The CPU's feature flags as {@code /proc/cpuinfo} names them, lower case: the {@code flags} line on
     * x86, the {@code Features} line on ARM. Empty where the file does not exist (macOS).
     */
    public Set<String> cpuFlags() {
        Set<String> flags = new HashSet<>();
        for (String line : read("/proc/cpuinfo").orElse("").split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (key.equals("flags") || key.equals("features")) {
                for (String f : line.substring(colon + 1).trim().split("\\s+")) {
                    if (!f.isEmpty()) {
                        flags.add(f.toLowerCase(Locale.ROOT));
                    }
                }
                break;
            }
        }
        return flags;
    }

    /**
     * The directories the dynamic linker searches, in its order: {@code LD_LIBRARY_PATH} (or, where the
     * loader was started with {@code --library-path}, that path: see {@link #LOADER_LIBRARY_PATH}), the
     * directories of {@code /etc/ld.so.conf} (and the files it includes), then the default directories.
     */
    public List<String> libraryDirectories() {
        Set<String> dirs = new LinkedHashSet<>();
        property(LOADER_LIBRARY_PATH).or(() -> env("LD_LIBRARY_PATH")).ifPresent(v -> {
            for (String d : v.split(":")) {
                if (d.startsWith("/")) {
                    dirs.add(d);
                }
            }
        });
        readLdConf("/etc/ld.so.conf", dirs, 0);
        dirs.addAll(List.of("/lib/" + multiarch(), "/usr/lib/" + multiarch(), "/lib64", "/usr/lib64", "/lib",
                "/usr/lib", "/usr/local/lib"));
        return List.copyOf(dirs);
    }

    private void readLdConf(String file, Set<String> dirs, int depth) {
        if (depth > 4) {
            return;
        }
        for (String raw : read(file).orElse("").split("\n")) {
            String line = raw.replaceFirst("#.*", "").trim();
            if (line.startsWith("include ")) {
                String pattern = line.substring("include ".length()).trim();
                if (!pattern.startsWith("/")) {
                    pattern = file.substring(0, file.lastIndexOf('/') + 1) + pattern;
                }
                for (String included : glob(pattern)) {
                    readLdConf(included, dirs, depth + 1);
                }
            } else if (line.startsWith("/")) {
                dirs.add(line);
            }
        }
    }

    /** Where the dynamic linker would find a library of this file name ({@code libcuda.so.1}), if anywhere. */
    public Optional<String> findLibrary(String fileName) {
        return findLibrary(fileName, List.of());
    }

    /** As {@link #findLibrary(String)}, searching {@code firstDirectories} (a library's own run path) first. */
    public Optional<String> findLibrary(String fileName, List<String> firstDirectories) {
        return Stream.concat(firstDirectories.stream(), libraryDirectories().stream())
                .map(d -> (d.endsWith("/") ? d : d + "/") + fileName)
                .filter(this::exists)
                .findFirst();
    }

    static String normalizeOs(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("linux")) {
            return "linux";
        }
        if (n.startsWith("mac") || n.startsWith("darwin")) {
            return "macos";
        }
        if (n.startsWith("windows")) {
            return "windows";
        }
        return n;
    }

    static String normalizeArch(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return switch (n) {
            case "amd64", "x86_64", "x64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> n;
        };
    }

    @Override
    public String toString() {
        return os + "/" + arch + (root.toString().equals("/") ? "" : " at " + root);
    }
}
