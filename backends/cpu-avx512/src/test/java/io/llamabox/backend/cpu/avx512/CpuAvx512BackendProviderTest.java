package io.llamabox.backend.cpu.avx512;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.backend.probe.testing.FakeMachine;
import io.llamabox.backend.probe.Host;
import io.llamabox.spi.BackendProvider;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuAvx512BackendProviderTest {
    private static final String[] AVX2 = {"sse4_2", "avx", "f16c", "fma", "avx2", "bmi2"};
    private static final String[] ZEN4 = {"sse4_2", "avx", "f16c", "fma", "avx2", "bmi2", "avx512f", "avx512cd",
        "avx512bw", "avx512dq", "avx512vl", "avx512vbmi", "avx512_vnni", "avx512_bf16"};

    @TempDir
    Path dir;

    private FakeMachine installed(FakeMachine m) {
        for (String v : new String[] {"x64", "haswell", "skylakex", "icelake", "cooperlake", "zen4", "sapphirerapids"}) {
            m.plugin("libggml-cpu-" + v + ".so", "libggml-base.so.0");
        }
        return m;
    }

    @Test
    void aZen4ProcessorGetsTheZen4Build() {
        CpuAvx512BackendProvider p = new CpuAvx512BackendProvider(installed(FakeMachine.at(dir).x86Cpu(ZEN4)).host());
        assertTrue(p.probe().available(), p.probe().detail());
        assertEquals("zen4", p.chosen().name());
        assertTrue(p.probe().detail().contains("zen4 build for AVX-512"), p.probe().detail());
        assertEquals(20, p.priority(), "ahead of the AVX2 module, which also runs on this processor");
    }

    @Test
    void anAvx2OnlyProcessorIsRefusedWithTheMissingFlags() {
        CpuAvx512BackendProvider p = new CpuAvx512BackendProvider(installed(FakeMachine.at(dir).x86Cpu(AVX2)).host());
        assertFalse(p.probe().available());
        assertTrue(p.probe().detail().contains("lacks AVX-512") && p.probe().detail().contains("avx512f"), p.probe().detail());
    }

    @Test
    void aMissingBestBuildFallsBackToTheNextAvx512One() {
        FakeMachine m = FakeMachine.at(dir).x86Cpu(ZEN4).plugin("libggml-cpu-skylakex.so").plugin("libggml-cpu-haswell.so");
        CpuAvx512BackendProvider p = new CpuAvx512BackendProvider(m.host());
        assertEquals("skylakex", p.chosen().name());
        CpuAvx512BackendProvider none = new CpuAvx512BackendProvider(FakeMachine.at(dir.resolve("b")).x86Cpu(ZEN4)
                .plugin("libggml-cpu-haswell.so").host());
        assertFalse(none.probe().available(), "an AVX2 build is the other module's business");
    }

    @Test
    void serviceLoaderFindsItAndItFollowsThisProcessor() {
        BackendProvider p = ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(b -> b.name().equals("cpu-avx512")).findFirst().orElseThrow();
        Host h = Host.current();
        boolean avx512 = h.arch().equals("x86_64") && h.cpuFlags().contains("avx512f") && h.cpuFlags().contains("avx512bw");
        assertEquals(avx512, p.probe().available(), p.probe().detail());
    }
}
