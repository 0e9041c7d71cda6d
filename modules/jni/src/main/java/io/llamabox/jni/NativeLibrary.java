package io.llamabox.jni;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place that loads {@code libllamabox}. The system property {@code llamabox.library.path}
 * names the library file or the directory that holds it (builds, tests and the runtime images'
 * launcher set it); otherwise the library is looked up on {@code java.library.path}.
 */
public final class NativeLibrary {
    /** The library's base name, as {@link System#mapLibraryName} expands it. */
    public static final String NAME = "llamabox";
    public static final String PATH_PROPERTY = "llamabox.library.path";

    private static volatile boolean libraryLoaded;
    private static volatile boolean initialised;

    private NativeLibrary() {
    }

    /** Loads the library once per process and initialises the llama.cpp backend. */
    public static void load() {
        if (initialised) {
            return;
        }
        synchronized (NativeLibrary.class) {
            if (initialised) {
                return;
            }
            loadLibrary();
            Natives.backendInit();
            initialised = true;
        }
    }

    /**
     * Loads the library without initialising llama.cpp. Backend plugins must be registered in this
     * state when the caller chooses them: llama.cpp's initialisation loads every plugin installed in
     * ggml's own directory when no backend is registered yet, which would shadow the caller's choice.
     */
    public static void loadLibrary() {
        if (libraryLoaded) {
            return;
        }
        synchronized (NativeLibrary.class) {
            if (libraryLoaded) {
                return;
            }
            String configured = System.getProperty(PATH_PROPERTY);
            if (configured != null && !configured.isBlank()) {
                Path path = Path.of(configured);
                if (Files.isDirectory(path)) {
                    path = path.resolve(System.mapLibraryName(NAME));
                }
                if (!Files.isRegularFile(path)) {
                    throw new UnsatisfiedLinkError("llama-box native library not found at " + path
                            + " (set by -D" + PATH_PROPERTY + ")");
                }
                System.load(path.toAbsolutePath().toString());
            } else {
                System.loadLibrary(NAME);
            }
            NativeLog.install();
            libraryLoaded = true;
        }
    }
}
