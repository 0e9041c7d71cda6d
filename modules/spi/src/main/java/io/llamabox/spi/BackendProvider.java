package io.llamabox.spi;

import java.nio.file.Path;
import java.util.List;

/**
 * A hardware backend module: says whether its hardware is usable here and which ggml backend
 * plugins to load for it. Found with {@link java.util.ServiceLoader}.
 */
public interface BackendProvider {
    /** Short name, e.g. {@code cpu-avx2}, {@code cuda}, {@code rpc}. */
    String name();

    /** Whether this backend can run on this machine, and if not, what it needs. */
    Availability probe();

    /**
     * The ggml plugin files that can serve this backend, best first; the launcher keeps the first one
     * that ggml accepts. Only called when {@link #probe()} is available.
     */
    List<Path> plugins();

    /** The name ggml registers the backend under ({@code CPU}, {@code CUDA}, {@code RPC}...). */
    String registryName();

    /** Higher runs first when several providers are available for the same kind of hardware. */
    default int priority() {
        return 0;
    }

    /** {@link #defaultGpuLayers()} for every layer. */
    int ALL_LAYERS = -1;

    /**
     * The layers to offload to this backend's devices when {@code -ngl} is not given: accelerators
     * take {@link #ALL_LAYERS}, the CPU none.
     */
    default int defaultGpuLayers() {
        return 0;
    }

    /** The outcome of a probe. */
    record Availability(boolean available, String detail) {
        public static Availability yes(String detail) {
            return new Availability(true, detail);
        }

        public static Availability no(String reason) {
            return new Availability(false, reason);
        }
    }
}
