package io.llamabox.image.jni;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one place that loads {@code libllamabox-image}. The system property
 * {@code llamabox.image.library.path} names the library file or the directory that holds it; otherwise
 * the library is looked up on {@code java.library.path}. Loading routes stable-diffusion.cpp's log to the
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

    private record Names(Set<String> vocabularies, List<String> sampleMethods, List<String> schedulers) {
    }

    private DiffusionLibrary() {
    }

    /** Loads the library once per process. */
    public static void load() {
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
                if (Files.isDirectory(path)) {
                    path = path.resolve(System.mapLibraryName(NAME));
                }
                if (!Files.isRegularFile(path)) {
                    throw new UnsatisfiedLinkError("llama-box image library not found at " + path
                            + " (set by -D" + PATH_PROPERTY + ")");
                }
                CpuRequirements.check(path);
                System.load(path.toAbsolutePath().toString());
            } else {
                System.loadLibrary(NAME);
            }
            Natives.init(DiffusionLog.minimumLevel());
            names = new Names(Collections.unmodifiableSet(new LinkedHashSet<>(strings(Natives.vocabularies()))),
                    List.copyOf(strings(Natives.sampleMethods())), List.copyOf(strings(Natives.schedulers())));
            loaded = true;
        }
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
