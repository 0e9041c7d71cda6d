package io.llamabox.image.jni;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one place that loads {@code libllamabox-image}. The system property
 * {@code llamabox.image.library.path} names the library file or the directory that holds it (or several builds
 * of it, one per subdirectory: see {@link #load(Set)}); otherwise the library is looked up on
 * {@code java.library.path}. Loading routes stable-diffusion.cpp's log to the
 * SLF4J logger {@code stable-diffusion}.
 *
 * <p>The library carries its own ggml, linked statically and hidden, so it shares the JVM with
 * {@code libllamabox} (which uses the system ggml) without a symbol in common.
 */
public final class DiffusionLibrary {
    /** The library's base name, as {@link System#mapLibraryName} expands it. */
    public static final String NAME = "llamabox-image";
    public static final String PATH_PROPERTY = "llamabox.image.library.path";
    /** The stable-diffusion.cpp commit the build pins (a complete checkout at it has every vocabulary). */
    public static final String PINNED_COMMIT = "97d2990807fe6d558e395f8764198d7c7e7b411c";

    /**
     * Serialises every call that runs stable-diffusion.cpp code (inspection, loading, generation,
     * freeing): its progress and preview callbacks and its log buffer are process-wide.
     */
    static final ReentrantLock ENGINE = new ReentrantLock();

    private static volatile boolean loaded;
    private static volatile Names names;
    private static volatile Path file;

    private record Names(Set<String> vocabularies, List<String> sampleMethods, List<String> schedulers) {
    }

    private DiffusionLibrary() {
    }

    /** Loads the library once per process, a CPU build where the directory has several (see {@link #load(Set)}). */
    public static void load() {
        load(Set.of());
    }

    /**
     * Loads the library once per process; later calls change nothing. When {@code llamabox.image.library.path}
     * names a directory that holds several builds (the library in it and in its subdirectories, each with the
     * descriptor its build writes), the one loaded is built for one of these ggml backends if there is one (the
     * registry names the text side loaded: {@code CUDA}, {@code ROCm}, {@code Vulkan}...), else a CPU-only build,
     * and of those the one with the most processor features this processor has.
     *
     * @throws UnsatisfiedLinkError when no build is found, or none runs on this processor
     */
    public static void load(Set<String> accelerators) {
        if (loaded) {
            return;
        }
        synchronized (DiffusionLibrary.class) {
            if (loaded) {
                return;
            }
            String configured = System.getProperty(PATH_PROPERTY);
            if (configured != null && !configured.isBlank()) {
                Path path = Path.of(configured);
                if (!Files.exists(path)) {
                    throw new UnsatisfiedLinkError("llama-box image library not found at " + path
                            + " (set by -D" + PATH_PROPERTY + ")");
                }
                List<LibraryBuild> builds = Files.isDirectory(path) ? LibraryBuild.in(path)
                        : List.of(LibraryBuild.describe(path));
                if (builds.isEmpty()) {
                    throw new UnsatisfiedLinkError("no " + System.mapLibraryName(NAME) + " in " + path
                            + " or its subdirectories (set by -D" + PATH_PROPERTY + ")");
                }
                LibraryBuild build = LibraryChoice.choose(builds, CpuRequirements.hostFlags(), accelerators);
                System.load(build.library().toAbsolutePath().toString());
                file = build.library().toAbsolutePath();
            } else {
                System.loadLibrary(NAME);
            }
            Natives.init(DiffusionLog.minimumLevel());
            names = new Names(Collections.unmodifiableSet(new LinkedHashSet<>(strings(Natives.vocabularies()))),
                    List.copyOf(strings(Natives.sampleMethods())), List.copyOf(strings(Natives.schedulers())));
            loaded = true;
        }
    }

    /** The library file loaded, when {@code llamabox.image.library.path} chose it; empty before loading. */
    public static Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** stable-diffusion.cpp's description of the CPU features and backends it was built with. */
    public static String systemInfo() {
        load();
        return string(Natives.systemInfo());
    }

    /** stable-diffusion.cpp's version string ({@code sd_version()}). */
    public static String version() {
        load();
        return string(Natives.version());
    }

    /** stable-diffusion.cpp's commit ({@code sd_commit()}). */
    public static String commit() {
        load();
        return string(Natives.commit());
    }

    /** The build variant: the ggml CPU feature set and GPU backends, e.g. {@code cpu-haswell}. */
    public static String variant() {
        load();
        return string(Natives.variant());
    }

    /**
     * The tokenizer vocabularies compiled in: {@code clip} always; {@code t5}, {@code umt5},
     * {@code qwen2}, {@code mistral}, {@code gemma}, {@code gemma2}, {@code gpt_oss} when built from a
     * source tree that has them.
     */
    public static Set<String> vocabularies() {
        load();
        return names.vocabularies();
    }

    /** The sample method names stable-diffusion.cpp accepts ({@code euler_a}, {@code dpm++2m}, ...). */
    public static List<String> sampleMethods() {
        load();
        return names.sampleMethods();
    }

    /** The scheduler names stable-diffusion.cpp accepts ({@code discrete}, {@code karras}, ...). */
    public static List<String> schedulers() {
        load();
        return names.schedulers();
    }

    /** The number of physical cores, as stable-diffusion.cpp counts them. */
    public static int physicalCores() {
        load();
        return Natives.physicalCores();
    }

    static String string(byte[] utf8) {
        return utf8 == null ? "" : new String(utf8, StandardCharsets.UTF_8);
    }

    static byte[] bytes(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(Path p) {
        return p == null ? new byte[0] : bytes(p.toAbsolutePath().toString());
    }

    private static List<String> strings(byte[][] values) {
        List<String> out = new ArrayList<>(values.length);
        for (byte[] v : values) {
            out.add(string(v));
        }
        return out;
    }
}
