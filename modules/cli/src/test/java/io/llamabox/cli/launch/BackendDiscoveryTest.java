package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.testkit.model.TestModels;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher with every backend module on its class path, on this machine. */
class BackendDiscoveryTest {
    @TempDir
    Path dir;

    private String run(int expectedExit, String... args) throws Exception {
        try (BoxProcess p = BoxProcess.start(dir.resolve("out-" + System.nanoTime() + ".log"), args)) {
            assertTrue(p.process.waitFor(60, TimeUnit.SECONDS), "ended");
            String out = p.output();
            assertEquals(expectedExit, p.process.exitValue(), out);
            return out;
        }
    }

    /** The CPU module that should win here: AVX-512 where the processor has it. */
    private static String expectedCpuModule() throws Exception {
        String flags = java.nio.file.Files.readString(Path.of("/proc/cpuinfo"));
        return flags.contains(" avx512bw") ? "cpu-avx512" : "cpu-avx2";
    }

    @Test
    void listDevicesShowsTheCpuVariantAndTheModuleThatChoseIt() throws Exception {
        String out = run(0, "--list-devices");
        assertTrue(out.matches("(?s).*\n  CPU: .*\\[" + expectedCpuModule() + " cpu, libggml-cpu-[a-z0-9_.]+\\.so].*"), out);
        assertTrue(out.contains("Backends:\n") && out.contains("  rpc: ggml RPC from "), out);
        assertTrue(out.contains("  cuda: not loaded: NVIDIA CUDA is not usable here: ") || out.contains("  cuda: NVIDIA CUDA"), out);
        assertTrue(out.contains("  metal: not loaded: Apple Metal runs on [macos]"), out);
    }

    @Test
    void systemInfoNamesTheCpuPlugin() throws Exception {
        String out = run(0, "--system-info");
        assertTrue(out.matches("(?s).*CPU backend: libggml-cpu-[a-z0-9_.]+\\.so \\(" + expectedCpuModule() + ": CPU .* build .*"), out);
        assertTrue(out.contains("system_info: "), out);
    }

    @Test
    void aDeviceOfAnAbsentBackendIsExplainedInOneLine() throws Exception {
        String out = run(1, "-m", TestModels.llama().toString(), "-dev", "CUDA0", "--port", "0");
        assertTrue(out.contains("no device named CUDA0") && out.contains("cuda is not usable: NVIDIA CUDA is not usable here"), out);
        assertFalse(out.contains("\tat "), "no stack trace:\n" + out);
    }

    @Test
    void anRpcServerOnAMissingGpuSaysWhyThereIsNone() throws Exception {
        String out;
        try (Socket held = BoxProcess.closedPort()) { // the start fails before it binds; held regardless
            out = run(1, "--rpc-server-port", String.valueOf(held.getLocalPort()), "--rpc-server-main-gpu", "1");
        }
        assertTrue(out.contains("error: --rpc-server-main-gpu 1: there is no GPU here (") && out.contains("cuda: NVIDIA CUDA"), out);
    }

    @Test
    void anUnreachableRpcServerFailsTheStartWithOneLine() throws Exception {
        try (Socket closed = BoxProcess.closedPort()) {
            String out = run(1, "-m", TestModels.llama().toString(), "--rpc", "127.0.0.1:" + closed.getLocalPort(),
                    "--port", "0");
            assertTrue(out.contains("cannot use RPC server 127.0.0.1:" + closed.getLocalPort()), out);
        }
    }

    @Test
    void theRpcServerStartsOnHostMemoryWithoutAGpuAndStopsOnSigterm() throws Exception {
        try (BoxProcess p = BoxProcess.rpcServer(dir.resolve("rpc.log"))) {
            p.awaitOutput("RPC server listening on 127.0.0.1:" + p.port() + ", serving CPU", Duration.ofSeconds(60));
            assertTrue(p.output().contains("no GPU here: the RPC server serves host memory"), p.output());
            p.stop();
            assertTrue(p.output().contains("RPC server stopping (0 client(s) served"), p.output());
        }
    }
}
