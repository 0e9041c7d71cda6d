package io.llamabox.cli.launch;

import io.llamabox.config.BoxSettings;
import io.llamabox.config.RpcServerSettings;
import io.llamabox.jni.DeviceInfo;
import io.llamabox.jni.DeviceType;
import io.llamabox.jni.Llama;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RPC-server mode ({@code --rpc-server-port}): serves one local device (a GPU, or host memory) over ggml's
 * RPC protocol, so that any ggml RPC client ({@code llama-box --rpc}, llama.cpp's {@code --rpc}) can
 * offload to it. ggml's own server runs in this process on a loopback port; {@link RpcGateway} is what
 * listens on {@code --rpc-server-host:--rpc-server-port}. ggml's server has no stop call: it ends with the
 * process, which SIGTERM ends after the gateway has closed every connection.
 */
final class RpcServerMode {
    private static final Logger LOG = LoggerFactory.getLogger(RpcServerMode.class);

    private RpcServerMode() {
    }

    static int run(BoxSettings s) throws IOException, InterruptedException {
        RpcServerSettings r = s.rpcServer();
        Backends.Loaded backends = Backends.load();
        if (backends.serving("RPC").isEmpty()) {
            throw new IllegalStateException("RPC-server mode needs the RPC backend: " + backends.whyNotServed("RPC"));
        }
        List<DeviceInfo> devices = Llama.devices();
        DeviceInfo device = serverDevice(r.mainGpu(), devices, backends);
        int threads = RuntimeSettings.threads(r.threads() > 0 ? r.threads() : s.model().threads().threads());
        Path cacheDir = r.cache() ? cacheDirectory(r) : null;
        if (!r.cache() && r.cacheDir().isPresent()) {
            LOG.warn("--rpc-server-cache-dir {} is unused without --rpc-server-cache", r.cacheDir().get());
        }
        r.originMainGpu().ifPresent(g -> LOG.info("launched for the GPU {} of its launcher"
                + " (--origin-rpc-server-main-gpu; it changes nothing here)", g));
        // ggml parses the endpoint itself and takes only a numeric address. Where this process can read
        // its own socket table, ggml binds port 0 and the table tells which port it got; elsewhere a port
        // is chosen first (another process could take it before ggml binds it: ggml then fails the start).
        Set<Integer> before = LoopbackListeners.available() ? LoopbackListeners.ports() : Set.of();
        int chosen = LoopbackListeners.available() ? 0 : freeLoopbackPort();
        Thread ggml = Thread.ofPlatform().name("ggml-rpc-server").daemon().start(() -> {
            try {
                Llama.serveRpc("127.0.0.1:" + chosen, cacheDir, threads, new int[] {device.index()});
                LOG.error("ggml's RPC server stopped (it could not listen on 127.0.0.1:{}); exiting", chosen);
            } catch (RuntimeException e) {
                LOG.error("ggml's RPC server failed: {}", e.getMessage());
            }
            System.exit(1);
        });
        InetSocketAddress internal = new InetSocketAddress("127.0.0.1",
                chosen != 0 ? chosen : awaitGgmlPort(before, ggml));
        RpcGateway gateway = RpcGateway.start(r.host(), r.port(),
                internal, RpcGateway.Limits.defaults(r.reserveMemoryBytes()));
        LOG.info("RPC server listening on {}:{}, serving {} ({}, {} MiB of {} MiB free{}) with {} thread(s)", r.host(),
                gateway.port(), device.name(), device.description(), device.memoryFree() >> 20, device.memoryTotal() >> 20,
                r.reserveMemoryMiB() > 0 ? ", " + r.reserveMemoryMiB() + " MiB reserved" : "", threads);
        if (cacheDir != null) {
            LOG.info("RPC server caches large tensors in {}", cacheDir);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("RPC server stopping ({} client(s) served, {} connection(s) refused)", gateway.clientsServed(),
                    gateway.refused());
            gateway.close();
            stopped.countDown();
        }, "llama-box-rpc-shutdown"));
        stopped.await();
        ggml.interrupt();
        return 0;
    }

    /**
     * Where {@code --rpc-server-cache} keeps tensors: {@code --rpc-server-cache-dir}, else
     * {@code $XDG_CACHE_HOME/llama-box/rpc} or {@code ~/.cache/llama-box/rpc}; created if missing.
     */
    static Path cacheDirectory(RpcServerSettings r) {
        Path dir = r.cacheDir().orElseGet(() -> {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
            return base.resolve("llama-box").resolve("rpc");
        }).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("--rpc-server-cache-dir " + dir + ": cannot create it ("
                    + e.getMessage() + ")");
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException("--rpc-server-cache-dir " + dir + ": not writable");
        }
        return dir;
    }

    /**
     * The device of {@code --rpc-server-main-gpu}: the N-th GPU (RPC devices aside), or host memory for -1.
     * Without any GPU the default 0 serves host memory too; any other N is an error that says why there is
     * no GPU.
     */
    static DeviceInfo serverDevice(int mainGpu, List<DeviceInfo> devices, Backends.Loaded backends) {
        DeviceInfo cpu = devices.stream().filter(d -> d.type() == DeviceType.CPU).findFirst()
                .orElseThrow(() -> new IllegalStateException("no CPU device is registered"));
        List<DeviceInfo> gpus = devices.stream()
                .filter(d -> d.type() == DeviceType.GPU || d.type() == DeviceType.INTEGRATED_GPU)
                .filter(d -> !d.backend().toUpperCase(Locale.ROOT).equals("RPC"))
                .toList();
        if (mainGpu < 0) {
            return cpu;
        }
        if (gpus.isEmpty() && mainGpu == 0) {
            LOG.info("no GPU here: the RPC server serves host memory (--rpc-server-main-gpu -1)");
            return cpu;
        }
        if (mainGpu >= gpus.size()) {
            String why = gpus.isEmpty() ? "there is no GPU here (" + unusableAccelerators(backends) + ")"
                    : "the GPUs are " + gpus.stream().map(d -> gpus.indexOf(d) + " = " + d.name())
                            .collect(Collectors.joining(", "));
            throw new IllegalArgumentException("--rpc-server-main-gpu " + mainGpu + ": " + why);
        }
        return gpus.get(mainGpu);
    }

    private static String unusableAccelerators(Backends.Loaded backends) {
        String list = backends.probes().stream()
                .filter(p -> !p.loaded() && !p.registryName().equals("CPU") && !p.registryName().equals("RPC"))
                .map(p -> p.name() + ": " + p.detail())
                .collect(Collectors.joining("; "));
        return list.isEmpty() ? "this runtime has no GPU backend module" : list;
    }

    /** The loopback port ggml's server listens on: the one that was not there before it started. */
    private static int awaitGgmlPort(Set<Integer> before, Thread ggml) throws IOException, InterruptedException {
        long guard = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Set<Integer> now = new TreeSet<>(LoopbackListeners.ports());
            now.removeAll(before);
            if (now.size() == 1) {
                return now.iterator().next();
            }
            if (now.size() > 1) {
                throw new IllegalStateException("ggml's RPC server: several new loopback listeners " + now);
            }
            if (!ggml.isAlive() || System.nanoTime() > guard) {
                throw new IllegalStateException("ggml's RPC server did not listen on a loopback port within 30 s");
            }
            Thread.sleep(10);
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
