package io.llamabox.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * RPC-server mode, in which the process serves its device to remote llama-box instances.
 *
 * @param host address to listen on ({@code --rpc-server-host})
 * @param port port to listen on; 0 means the mode is off ({@code --rpc-server-port})
 * @param mainGpu device whose memory is served, -1 for host RAM ({@code --rpc-server-main-gpu})
 * @param reserveMemoryMiB memory kept back from clients, in MiB ({@code --rpc-server-reserve-memory})
 * @param threads CPU backend threads when host memory is served, -1 for the generation threads
 *        ({@code --rpc-server-threads})
 * @param cache whether large tensors are kept on disk so that a returning client need not send them again
 *        ({@code --rpc-server-cache})
 * @param cacheDir where they are kept; absent, the user's cache directory ({@code --rpc-server-cache-dir})
 * @param originMainGpu the GPU a launcher says this server stands for ({@code --origin-rpc-server-main-gpu});
 *        carried for the log only
 */
public record RpcServerSettings(String host, int port, int mainGpu, long reserveMemoryMiB, int threads,
        boolean cache, Optional<Path> cacheDir, OptionalInt originMainGpu) {
    public static final String DEFAULT_HOST = "0.0.0.0";

    /** Threads from the generation threads, no tensor cache, no origin GPU. */
    public RpcServerSettings(String host, int port, int mainGpu, long reserveMemoryMiB) {
        this(host, port, mainGpu, reserveMemoryMiB, -1, false, Optional.empty(), OptionalInt.empty());
    }

    public RpcServerSettings {
        Invariants.notBlank("RPC server host", host);
        Invariants.between("RPC server port", port, 0, 65535);
        Invariants.atLeast("RPC server main GPU", mainGpu, -1);
        Invariants.between("RPC server reserved memory", reserveMemoryMiB, 0, Long.MAX_VALUE >> 20);
        Invariants.automaticOrAtLeast("RPC server threads", threads, 1);
        Invariants.optional("RPC server cache directory", cacheDir);
        Invariants.present("origin main GPU", originMainGpu);
    }

    /** Off: listens on 0.0.0.0 once a port is given, main GPU 0, nothing reserved. */
    public static RpcServerSettings defaults() {
        return new RpcServerSettings(DEFAULT_HOST, 0, 0, 0);
    }

    /** Whether the process runs as an RPC server instead of an HTTP server. */
    public boolean enabled() {
        return port > 0;
    }

    /** Whether host RAM is served instead of a device's memory. */
    public boolean usesHostMemory() {
        return mainGpu == -1;
    }

    /** {@link #reserveMemoryMiB()} in bytes. */
    public long reserveMemoryBytes() {
        return reserveMemoryMiB << 20;
    }
}
