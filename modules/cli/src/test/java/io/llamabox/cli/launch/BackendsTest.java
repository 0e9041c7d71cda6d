package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.jni.DeviceInfo;
import io.llamabox.jni.DeviceType;
import io.llamabox.spi.BackendProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which backend module serves each ggml backend, and what is said about those that cannot. */
class BackendsTest {
    private record Fake(String name, String registryName, int priority, Availability probe, int defaultGpuLayers)
            implements BackendProvider {
        @Override
        public List<Path> plugins() {
            return List.of(Path.of("/plugins/" + name + ".so"));
        }
    }

    private static final Fake AVX2 = new Fake("cpu-avx2", "CPU", 10, BackendProvider.Availability.yes("haswell"), 0);
    private static final Fake AVX512 = new Fake("cpu-avx512", "CPU", 20, BackendProvider.Availability.yes("zen4"), 0);
    private static final Fake NO_AVX512 = new Fake("cpu-avx512", "CPU", 20,
            BackendProvider.Availability.no("this processor lacks AVX-512"), 0);
    private static final Fake CUDA = new Fake("cuda", "CUDA", 0,
            BackendProvider.Availability.no("no NVIDIA driver library (libcuda.so.1)"), BackendProvider.ALL_LAYERS);
    private static final Fake RPC = new Fake("rpc", "RPC", 0, BackendProvider.Availability.yes("ggml RPC"),
            BackendProvider.ALL_LAYERS);

    private static Backends.Choice of(List<Backends.Choice> choices, String name) {
        return choices.stream().filter(c -> c.provider().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theAvx512ModuleWinsWhereItRunsAndTheAvx2ModuleWhereItDoesNot() {
        List<Backends.Choice> here = Backends.choose(List.of(AVX2, AVX512, RPC, CUDA), reg -> false);
        assertEquals(Backends.Decision.LOAD, of(here, "cpu-avx512").decision());
        assertEquals(Backends.Decision.SHADOWED, of(here, "cpu-avx2").decision());
        assertTrue(of(here, "cpu-avx2").reason().contains("cpu-avx512's"), of(here, "cpu-avx2").reason());
        assertEquals(Backends.Decision.LOAD, of(here, "rpc").decision());
        assertEquals(Backends.Decision.UNUSABLE, of(here, "cuda").decision());
        assertEquals("no NVIDIA driver library (libcuda.so.1)", of(here, "cuda").reason());

        List<Backends.Choice> older = Backends.choose(List.of(AVX2, NO_AVX512, RPC), reg -> false);
        assertEquals(Backends.Decision.LOAD, of(older, "cpu-avx2").decision());
        assertEquals(Backends.Decision.UNUSABLE, of(older, "cpu-avx512").decision());
    }

    @Test
    void aBackendGgmlLoadedItselfIsNotLoadedTwice() {
        List<Backends.Choice> c = Backends.choose(List.of(AVX2, AVX512), reg -> reg.equals("CPU"));
        assertEquals(Backends.Decision.LOADED_BY_GGML, of(c, "cpu-avx512").decision());
        assertEquals(Backends.Decision.SHADOWED, of(c, "cpu-avx2").decision());
    }

    private static Backends.Loaded loaded(Backends.Probe... probes) {
        return new Backends.Loaded(List.of(probes));
    }

    private static Backends.Probe probe(Fake f, boolean loaded, String detail) {
        return new Backends.Probe(f.name(), f.registryName(), loaded, detail, Optional.empty(), f.defaultGpuLayers());
    }

    @Test
    void aMissingDeviceIsExplainedByItsModule() {
        Backends.Loaded cpuImage = loaded(probe(AVX512, true, "zen4"), probe(AVX2, false, "shadowed"), probe(RPC, true, "rpc"));
        String absent = cpuImage.explainMissingDevice("CUDA0");
        assertTrue(absent.contains("this runtime has no cuda backend module") && absent.contains("cpu-avx2, cpu-avx512, rpc")
                && absent.contains("llama-box-cuda"), absent);
        Backends.Loaded withCuda = loaded(probe(AVX512, true, "zen4"), probe(CUDA, false, CUDA.probe().detail()));
        assertEquals("cuda is not usable: no NVIDIA driver library (libcuda.so.1)", withCuda.explainMissingDevice("cuda1"));
        assertTrue(cpuImage.explainMissingDevice("RPC3").contains("--rpc"));
        assertTrue(cpuImage.explainMissingDevice("MTL0").contains("metal"));
        assertEquals("no backend registers devices of that name", cpuImage.explainMissingDevice("TPU0"));
        assertEquals("cuda: no NVIDIA driver library (libcuda.so.1)", withCuda.whyNotServed("CUDA"));
        assertEquals("this runtime has no backend module for SYCL", withCuda.whyNotServed("SYCL"));
    }

    @Test
    void layersGoToDevicesOfBackendsThatOffloadByDefault() {
        DeviceInfo cpu = new DeviceInfo(0, "CPU", "cpu", "CPU", DeviceType.CPU, 1, 1);
        DeviceInfo rpc0 = new DeviceInfo(1, "RPC0", "10.0.0.2:50052", "RPC", DeviceType.GPU, 1, 1);
        Backends.Loaded l = loaded(probe(AVX512, true, "zen4"), probe(RPC, true, "rpc"));
        assertEquals(0, l.defaultGpuLayers(List.of(cpu)), "the CPU alone offloads nothing");
        assertEquals(BackendProvider.ALL_LAYERS, l.defaultGpuLayers(List.of(cpu, rpc0)), "an RPC server takes every layer");
        assertEquals(Optional.of("cpu-avx512"), l.serving("cpu").map(Backends.Probe::name));
    }
}
