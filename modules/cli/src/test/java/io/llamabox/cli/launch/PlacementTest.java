package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.cli.BoxCommandLine;
import io.llamabox.cli.CommandLineResult;
import io.llamabox.config.OffloadSettings;
import io.llamabox.jni.DeviceInfo;
import io.llamabox.jni.DeviceType;
import io.llamabox.spi.BackendProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The offload flags against device lists like the spec's examples: one RPC server and three GPUs. */
class PlacementTest {
    private static final long GIB = 1L << 30;
    private static final DeviceInfo CPU = new DeviceInfo(0, "CPU", "AMD EPYC", "CPU", DeviceType.CPU, 20 * GIB, 24 * GIB);
    private static final DeviceInfo CUDA0 = new DeviceInfo(1, "CUDA0", "RTX 4090", "CUDA", DeviceType.GPU, 23 * GIB, 24 * GIB);
    private static final DeviceInfo CUDA1 = new DeviceInfo(2, "CUDA1", "RTX 4090", "CUDA", DeviceType.GPU, 23 * GIB, 24 * GIB);
    private static final DeviceInfo CUDA2 = new DeviceInfo(3, "CUDA2", "RTX 4080", "CUDA", DeviceType.GPU, 15 * GIB, 16 * GIB);
    // --rpc registers its devices after the local ones
    private static final DeviceInfo RPC0 = new DeviceInfo(4, "RPC0", "10.0.0.2:50052", "RPC", DeviceType.GPU, 60 * GIB, 64 * GIB);
    private static final List<DeviceInfo> SPEC_MACHINE = List.of(CPU, CUDA0, CUDA1, CUDA2, RPC0);

    private static OffloadSettings offload(String... flags) {
        String[] args = new String[flags.length + 2];
        args[0] = "-m";
        args[1] = "m.gguf";
        System.arraycopy(flags, 0, args, 2, flags.length);
        return ((CommandLineResult.Run) BoxCommandLine.parse(args, Map.of())).settings().model().offload();
    }

    private static Placement resolve(List<DeviceInfo> devices, int defaultLayers, String... flags) {
        OffloadSettings o = offload(flags);
        return Placement.resolve(o.devices(), o.gpuLayers(), o.splitMode(), o.mainGpu(), o.tensorSplit(), defaultLayers,
                devices, name -> "(" + name + " explained)");
    }

    @Test
    void rpcServersComeFirstSoTheSpecsSplitOfThreeSharesLeavesTheLastGpuOut() {
        Placement p = resolve(SPEC_MACHINE, BackendProvider.ALL_LAYERS, "--rpc", "10.0.0.2:50052", "-ts", "1,2,3");
        assertEquals(List.of(RPC0, CUDA0, CUDA1, CUDA2), p.offload(), "RPC0 gets 1/6, CUDA0 2/6, CUDA1 3/6, CUDA2 0");
        assertNull(p.devices(), "llama.cpp is left to choose, and it chooses the same list");
        assertArrayEquals(new float[] {1, 2, 3}, Placement.shares(offload("-ts", "1,2,3").tensorSplit()));
        assertEquals(-1, p.gpuLayers(), "all layers by default with GPUs");
        assertTrue(p.notes().isEmpty(), p.notes().toString());
    }

    @Test
    void zeroSharesKeepTheRpcServerAndTheFirstGpuOut() {
        Placement p = resolve(SPEC_MACHINE, BackendProvider.ALL_LAYERS, "--rpc", "10.0.0.2:50052", "-ts", "0,0,1,1");
        assertEquals(List.of(RPC0, CUDA0, CUDA1, CUDA2), p.offload());
        assertArrayEquals(new float[] {0, 0, 1, 1}, Placement.shares(offload("-ts", "0,0,1,1").tensorSplit()));
    }

    @Test
    void devicesNamedByDevAreUsedInTheirOrder() {
        Placement p = resolve(SPEC_MACHINE, BackendProvider.ALL_LAYERS, "-dev", "cuda2,RPC0", "-ngl", "20");
        assertArrayEquals(new int[] {3, 4}, p.devices());
        assertEquals(List.of(CUDA2, RPC0), p.offload());
        assertEquals(20, p.gpuLayers());
        assertEquals("20 layer(s) offloaded to CUDA2, RPC0", p.describe());
    }

    @Test
    void devNoneOffloadsNothingWhateverNglSays() {
        Placement p = resolve(SPEC_MACHINE, BackendProvider.ALL_LAYERS, "-dev", "none", "-ngl", "99");
        assertArrayEquals(new int[0], p.devices(), "an empty list, not llama.cpp's default");
        assertEquals(0, p.gpuLayers());
        assertEquals("the model runs on the CPU", p.describe());
    }

    @Test
    void anUnknownDeviceIsExplainedAndTheCpuIsNotAnOffloadDevice() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resolve(List.of(CPU), 0, "-dev", "Vulkan0"));
        assertTrue(e.getMessage().contains("no device named Vulkan0 (there are: CPU): (Vulkan0 explained)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> resolve(SPEC_MACHINE, 0, "-dev", "CPU"));
        assertTrue(e.getMessage().contains("-dev none"), e.getMessage());
    }

    @Test
    void mainGpuMustBeAnOffloadDeviceWhenItMatters() {
        assertEquals(1, resolve(SPEC_MACHINE, -1, "-sm", "none", "-mg", "1").offload().indexOf(CUDA0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resolve(List.of(CPU, CUDA0, CUDA1), -1, "-sm", "row", "-mg", "2"));
        assertTrue(e.getMessage().contains("0 = CUDA0, 1 = CUDA1"), e.getMessage());
        resolve(List.of(CPU, CUDA0), -1, "-sm", "layer", "-mg", "5");
    }

    @Test
    void onTheCpuAloneNglAndTsSayTheyHaveNoEffect() {
        Placement p = resolve(List.of(CPU), 0, "-ngl", "10", "-ts", "1,1");
        assertEquals(10, p.gpuLayers());
        assertEquals(2, p.notes().size(), p.notes().toString());
        assertEquals(0, resolve(List.of(CPU), 0).gpuLayers(), "the CPU backend's default");
        assertTrue(resolve(List.of(CPU, CUDA0), -1, "-ts", "1,1,1").notes().getFirst().contains("3 shares but there are 1"));
    }

    @Test
    void integratedGpusCountOnlyWhenThereIsNothingElse() {
        DeviceInfo igpu = new DeviceInfo(1, "Vulkan0", "Radeon 780M", "Vulkan", DeviceType.INTEGRATED_GPU, GIB, 2 * GIB);
        assertEquals(List.of(igpu), Placement.defaultOffload(List.of(CPU, igpu)));
        assertEquals(List.of(RPC0), Placement.defaultOffload(List.of(CPU, igpu, RPC0)));
    }
}
