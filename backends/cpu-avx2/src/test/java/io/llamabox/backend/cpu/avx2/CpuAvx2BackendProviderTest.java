package io.llamabox.backend.cpu.avx2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.backend.probe.testing.FakeMachine;
import io.llamabox.backend.probe.Host;
import io.llamabox.spi.BackendProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuAvx2BackendProviderTest {
    private static final String[] HASWELL = {"sse4_2", "avx", "f16c", "fma", "avx2", "bmi2"};

    @TempDir
    Path dir;

    private FakeMachine machine(String... flags) {
        return FakeMachine.at(dir).x86Cpu(flags).library("libgomp.so.1");
    }

    private static FakeMachine plugins(FakeMachine m, String... variants) {
        for (String v : variants) {
            m.plugin("libggml-cpu-" + v + ".so", "libggml-base.so.0", "libgomp.so.1", "libstdc++.so.6");
        }
        return m;
    }

    @Test
    void anAvx2ProcessorGetsTheHaswellBuild() {
        Host h = plugins(machine(HASWELL), "x64", "sse42", "haswell", "skylakex").host();
        CpuAvx2BackendProvider p = new CpuAvx2BackendProvider(h);
        assertTrue(p.probe().available(), p.probe().detail());
        assertEquals("haswell", p.chosen().name());
        assertEquals(List.of(h.file(FakeMachine.PLUGINS + "/libggml-cpu-haswell.so"), h.file(FakeMachine.PLUGINS + "/libggml-cpu-sse42.so"),
                h.file(FakeMachine.PLUGINS + "/libggml-cpu-x64.so")), p.plugins(), "best first, then the fallbacks");
        assertTrue(p.probe().detail().contains("haswell build for AVX2 from " + FakeMachine.PLUGINS), p.probe().detail());
        assertEquals("CPU", p.registryName());
        assertEquals(0, p.defaultGpuLayers(), "the CPU offloads nothing by default");
    }

    @Test
    void aProcessorWithoutAvx2RunsAnOlderBuildAndSaysItIsSlower() {
        CpuAvx2BackendProvider p = new CpuAvx2BackendProvider(plugins(machine("sse4_2", "avx"), "x64", "sse42", "haswell").host());
        assertEquals("sse42", p.chosen().name(), "sandybridge is not installed, so the next one down");
        assertTrue(p.probe().detail().contains("no AVX2"), p.probe().detail());
    }

    @Test
    void aBuildWhoseLibrariesAreMissingIsPassedOver() {
        FakeMachine m = plugins(FakeMachine.at(dir).x86Cpu(HASWELL), "x64");
        m.plugin("libggml-cpu-haswell.so", "libggml-base.so.0", "libgomp.so.1");
        m.plugin("libggml-cpu-x64.so", "libggml-base.so.0");
        CpuAvx2BackendProvider p = new CpuAvx2BackendProvider(m.host());
        assertEquals("x64", p.chosen().name());
        CpuAvx2BackendProvider none = new CpuAvx2BackendProvider(plugins(FakeMachine.at(dir.resolve("b")).x86Cpu(HASWELL), "haswell").host());
        assertFalse(none.probe().available());
        assertTrue(none.probe().detail().contains("libggml-cpu-haswell.so needs libgomp.so.1"), none.probe().detail());
    }

    @Test
    void aPluginBuiltWithoutVariantsIsTheLastResort() {
        FakeMachine m = machine(HASWELL);
        m.plugin("libggml-cpu.so", "libggml-base.so.0");
        CpuAvx2BackendProvider p = new CpuAvx2BackendProvider(m.host());
        assertTrue(p.probe().available());
        assertTrue(p.probe().detail().contains("generic build"), p.probe().detail());
    }

    @Test
    void noPluginIsExplainedWithWhereItLookedAndHowToFixIt() {
        CpuAvx2BackendProvider p = new CpuAvx2BackendProvider(machine(HASWELL).host());
        assertFalse(p.probe().available());
        String why = p.probe().detail();
        assertTrue(why.contains("libggml-cpu-haswell.so") && why.contains(FakeMachine.PLUGINS) && why.contains("LLAMABOX_GGML_BACKENDS"), why);
        assertTrue(p.plugins().isEmpty());
    }

    @Test
    void anotherArchitectureIsRefused() {
        CpuAvx2BackendProvider p = new CpuAvx2BackendProvider(plugins(machine(HASWELL), "x64").host("Linux", "aarch64"));
        assertFalse(p.probe().available());
        assertTrue(p.probe().detail().contains("linux/aarch64"), p.probe().detail());
    }

    @Test
    void serviceLoaderFindsItAndOnThisMachineItAgreesWithTheInstalledPlugins() {
        BackendProvider p = ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(b -> b.name().equals("cpu-avx2")).findFirst().orElseThrow();
        boolean x86 = Host.current().arch().equals("x86_64");
        assertEquals(x86, p.probe().available(), p.probe().detail());
    }
}
