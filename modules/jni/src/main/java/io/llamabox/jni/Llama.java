package io.llamabox.jni;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Process-wide llama.cpp and ggml facts and set-up: version, system info, backends, devices, RPC. */
public final class Llama {
    private Llama() {
    }

    public static String version() {
        NativeLibrary.load();
        return Text.string(Natives.version());
    }

    /** llama.cpp's system-info line (the CPU features the loaded CPU backend uses). */
    public static String systemInfo() {
        NativeLibrary.load();
        return Text.string(Natives.systemInfo());
    }

    public static boolean supportsGpuOffload() {
        NativeLibrary.load();
        return Natives.supportsGpuOffload();
    }

    public static boolean supportsMmap() {
        NativeLibrary.load();
        return Natives.supportsMmap();
    }

    public static boolean supportsMlock() {
        NativeLibrary.load();
        return Natives.supportsMlock();
    }

    /** The largest number of devices a model can be split over. */
    public static int maxDevices() {
        NativeLibrary.load();
        return Natives.maxDevices();
    }

    public static int maxParallelSequences() {
        NativeLibrary.load();
        return Natives.maxParallelSequences();
    }

    /** Whether a ggml backend of this registry name (e.g. {@code CPU}, {@code RPC}, {@code CUDA}) is loaded. */
    public static boolean backendLoaded(String name) {
        NativeLibrary.loadLibrary();
        return Natives.backendRegistered(Text.utf8(name));
    }

    /**
     * Loads one ggml backend plugin (e.g. {@code libggml-cpu-haswell.so}). Plugins loaded before anything
     * else initialises llama.cpp are the only ones: llama.cpp then no longer loads ggml's installed plugins.
     */
    public static void loadBackend(Path library) {
        NativeLibrary.loadLibrary();
        if (!Files.isRegularFile(library)) {
            throw new IllegalArgumentException("backend library not found: " + library);
        }
        NativeLog.startCapture();
        boolean ok = Natives.loadBackend(Text.utf8(library));
        String why = NativeLog.stopCapture();
        if (!ok) {
            throw new LlamaException("failed to load backend " + library + (why.isEmpty() ? "" : ": " + why));
        }
    }

    /** Loads every backend plugin that ggml finds in a directory, choosing the best CPU variant. */
    public static void loadBackends(Path directory) {
        NativeLibrary.loadLibrary();
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("backend directory not found: " + directory);
        }
        Natives.loadBackendsFrom(Text.utf8(directory));
    }

    /**
     * Loads the backend plugins from ggml's own installation directory (and the directories it
     * searches by default), choosing the best CPU variant for this processor.
     */
    public static void loadDefaultBackends() {
        NativeLibrary.load();
        Natives.loadDefaultBackends();
    }

    /**
     * The file of the shared library that registered the backend of this registry name (e.g. the
     * chosen {@code libggml-cpu-*.so} for {@code CPU}), or empty if no such backend is registered or
     * it is built into ggml itself.
     */
    public static Optional<Path> backendLibrary(String name) {
        NativeLibrary.loadLibrary();
        byte[] path = Natives.backendLibrary(Text.utf8(name));
        return path == null ? Optional.empty() : Optional.of(Path.of(Text.string(path)));
    }

    /**
     * The buffer types a {@link TensorBufferOverride} can name: each device's default one, by name, without
     * repeats, in device order ({@code CPU} among them).
     */
    public static List<String> bufferTypes() {
        NativeLibrary.load();
        List<String> out = new ArrayList<>();
        for (byte[] name : Natives.bufferTypes()) {
            out.add(Text.string(name));
        }
        return List.copyOf(out);
    }

    /** The devices of all loaded backends, in ggml's registry order. */
    public static List<DeviceInfo> devices() {
        NativeLibrary.load();
        int n = Natives.deviceCount();
        List<DeviceInfo> out = new ArrayList<>(n);
        long[] memory = new long[3];
        for (int i = 0; i < n; i++) {
            byte[][] names = Natives.deviceInfo(i, memory);
            out.add(new DeviceInfo(i, Text.string(names[0]), Text.string(names[1]), Text.string(names[2]),
                    DeviceType.of(memory[2]), memory[0], memory[1]));
        }
        return List.copyOf(out);
    }

    /** The ggml RPC protocol version ({major, minor, patch}) this build speaks; servers must have the same major. */
    public static int[] rpcProtocolVersion() {
        NativeLibrary.loadLibrary();
        return Natives.rpcProtocolVersion();
    }

    /**
     * Connects to a ggml RPC server ({@code host:port}) and registers its devices; returns how many
     * were added. Needs the RPC backend to be loaded. ggml aborts the process when the server cannot be
     * reached or speaks another protocol version: check both first.
     */
    public static int addRpcServer(String endpoint) {
        NativeLibrary.load();
        checkEndpoint(endpoint, 1);
        NativeLog.startCapture();
        int added = Natives.addRpcServer(Text.utf8(endpoint));
        String why = NativeLog.stopCapture();
        if (added < 0) {
            throw new LlamaException("cannot use RPC server " + endpoint
                    + (added == -2 ? ": the RPC backend is not loaded" : why.isEmpty() ? "" : ": " + why));
        }
        return added;
    }

    /**
     * Serves ggml's RPC protocol on {@code host:port} with the given local devices until the process
     * ends. Blocks the calling thread. Port 0 lets the kernel choose one as ggml binds.
     */
    public static void serveRpc(String endpoint, Path cacheDir, int threads, int[] deviceIndices) {
        NativeLibrary.load();
        checkEndpoint(endpoint, 0);
        int count = Natives.deviceCount();
        for (int d : deviceIndices) {
            if (d < 0 || d >= count) {
                throw new IllegalArgumentException("no device " + d + " (there are " + count + ")");
            }
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        Natives.rpcServe(Text.utf8(endpoint), cacheDir == null ? null : Text.utf8(cacheDir), threads,
                deviceIndices.clone());
    }

    private static void checkEndpoint(String endpoint, int lowestPort) {
        int colon = endpoint == null ? -1 : endpoint.lastIndexOf(':');
        if (colon <= 0 || colon == endpoint.length() - 1) {
            throw new IllegalArgumentException("RPC endpoint must be host:port, got " + endpoint);
        }
        try {
            int port = Integer.parseInt(endpoint.substring(colon + 1));
            if (port < lowestPort || port > 65535) {
                throw new IllegalArgumentException("RPC port out of range in " + endpoint);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("RPC endpoint must be host:port, got " + endpoint);
        }
    }

    private static volatile long[] computeCpus = new long[0];
    private static volatile int computeNice;

    /**
     * llama.cpp's NUMA optimisation ({@code --numa}), by ggml's strategy number: 1 distribute, 2 isolate,
     * 3 numactl. Once per process, after the backends and before any model loads.
     */
    public static void numaInit(int strategy) {
        NativeLibrary.load();
        Natives.backendInit();
        Natives.numaInit(strategy);
    }

    /**
     * Where threads that compute graphs run ({@code -C}, {@code -Cr}, {@code --prio}): on these CPUs
     * (empty: any) at this nice value. Applies to compute threads that start after this call.
     */
    public static void setComputeThreadPlacement(java.util.BitSet cpus, int nice) {
        computeCpus = cpus.toLongArray();
        computeNice = nice;
    }

    /**
     * Places the calling thread as {@link #setComputeThreadPlacement} says, before it computes its first
     * graph, so that the CPU backend's OpenMP threads it starts inherit the placement. Returns what
     * could not be applied (raising the priority needs privileges), if anything.
     */
    public static Optional<String> placeComputeThread() {
        long[] cpus = computeCpus;
        int nice = computeNice;
        if (cpus.length == 0 && nice == 0) {
            return Optional.empty();
        }
        NativeLibrary.load();
        byte[] problem = Natives.placeThread(cpus, nice);
        return problem == null ? Optional.empty()
                : Optional.of(new String(problem, java.nio.charset.StandardCharsets.UTF_8));
    }
}
