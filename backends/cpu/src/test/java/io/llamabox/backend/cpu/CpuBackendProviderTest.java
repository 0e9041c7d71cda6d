package io.llamabox.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.spi.BackendProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuBackendProviderTest {
    @TempDir
    Path dir;

    private void plugins(String... variants) throws Exception {
        for (String v : variants) {
            Files.writeString(dir.resolve("libggml-cpu-" + v + ".so"), "");
        }
    }

    @Test
    void anAvx2CpuGetsTheHaswellPlugin() throws Exception {
        plugins("x64", "sse42", "haswell", "skylakex");
        var p = new CpuBackendProvider(Set.of("sse4_2", "avx", "avx2", "fma", "f16c", "bmi2"), List.of(dir), "amd64");
        assertEquals(CpuVariant.HASWELL, p.chosen());
        assertEquals(List.of(dir.resolve("libggml-cpu-haswell.so")), p.plugins());
        assertTrue(p.probe().available());
        assertTrue(p.probe().detail().contains("haswell"), p.probe().detail());
    }

    @Test
    void anAvx512CpuGetsAnAvx512Plugin() throws Exception {
        plugins("x64", "haswell", "skylakex", "icelake");
        var p = new CpuBackendProvider(Set.of("avx", "avx2", "fma", "f16c", "bmi2", "avx512f", "avx512bw", "avx512vl",
                "avx512dq", "avx512_vnni", "avx512vbmi"), List.of(dir), "amd64");
        assertEquals(CpuVariant.ICELAKE, p.chosen());
        assertTrue(p.probe().detail().contains("AVX-512"));
    }

    @Test
    void aMissingBestPluginFallsBackToTheNextThatExists() throws Exception {
        plugins("x64", "sse42");
        var p = new CpuBackendProvider(Set.of("sse4_2", "avx", "avx2", "fma", "f16c", "bmi2"), List.of(dir), "amd64");
        assertEquals(CpuVariant.SSE42, p.chosen());
    }

    @Test
    void noPluginAtAllIsExplained() {
        var p = new CpuBackendProvider(Set.of("avx2"), List.of(dir), "amd64");
        assertNull(p.chosen());
        BackendProvider.Availability a = p.probe();
        assertFalse(a.available());
        assertTrue(a.detail().contains("libggml-cpu") && a.detail().contains(dir.toString()), a.detail());
    }

    @Test
    void anotherArchitectureIsRefused() throws Exception {
        plugins("x64");
        var p = new CpuBackendProvider(Set.of(), List.of(dir), "aarch64");
        assertFalse(p.probe().available());
        assertTrue(p.probe().detail().contains("aarch64"));
    }

    @Test
    void cpuFlagsAreReadFromCpuinfo() throws Exception {
        Path info = Files.writeString(dir.resolve("cpuinfo"), "processor : 0\nflags\t\t: fpu sse4_2 AVX2 fma\nbugs : x\n");
        assertEquals(Set.of("fpu", "sse4_2", "avx2", "fma"), CpuBackendProvider.readCpuFlags(info));
    }

    @Test
    void theProviderIsFoundByServiceLoaderAndRunsHere() {
        List<BackendProvider> found = ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get).toList();
        assertTrue(found.stream().anyMatch(p -> p.name().equals("cpu")), found.toString());
        BackendProvider cpu = found.stream().filter(p -> p.name().equals("cpu")).findFirst().orElseThrow();
        assertTrue(cpu.probe().available(), cpu.probe().detail());
    }
}
