package io.llamabox.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.backend.probe.testing.AcceleratorContract;
import io.llamabox.backend.probe.ElfDependencies;
import io.llamabox.backend.probe.testing.FakeMachine;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CudaBackendProviderTest {
    @TempDir
    Path dir;

    private FakeMachine gpuMachine(String driver) {
        FakeMachine m = FakeMachine.at(dir).library("libcuda.so.1").library("libcudart.so.12").library("libcublas.so.12")
                .file("/dev/nvidiactl").file("/dev/nvidia0")
                .plugin("libggml-cuda.so", "libggml-base.so.0", "libcudart.so.12", "libcublas.so.12", "libcuda.so.1");
        return driver == null ? m : m.text("/proc/driver/nvidia/version",
                "NVRM version: NVIDIA UNIX x86_64 Kernel Module  " + driver + "  Thu Oct 19 2023\nGCC version:  gcc 12\n");
    }

    @Test
    void meetsTheAcceleratorContract() {
        AcceleratorContract.verify(dir, CudaBackendProvider.CUDA, CudaBackendProvider::new);
    }

    @Test
    void aDriverTooOldForThePluginsCudaIsNamed() {
        CudaBackendProvider old = new CudaBackendProvider(gpuMachine("470.223.02").host());
        assertFalse(old.probe().available());
        assertTrue(old.probe().detail().contains("470.223.02 is older than 525.60.13") && old.probe().detail().contains("CUDA 12"),
                old.probe().detail());
        assertTrue(new CudaBackendProvider(FakeMachine.at(dir.resolve("bare")).host()).probe().detail().contains("libcuda.so.1"));
    }

    @Test
    void aRecentDriverOrAnUnknownOneIsAccepted() {
        assertTrue(new CudaBackendProvider(gpuMachine("535.129.03").host()).probe().available());
        assertTrue(new CudaBackendProvider(gpuMachine(null).host()).probe().available(), "no /proc entry (WSL)");
    }

    @Test
    void versionsAreReadAndCompared() {
        assertEquals(Optional.of("550.54.14"), CudaBackendProvider.driverVersion(
                "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  550.54.14  Release Build"));
        assertEquals(Optional.of(12), CudaBackendProvider.runtimeMajor(new ElfDependencies(
                List.of("libggml-base.so.0", "libcudart.so.12", "libcublas.so.12"), List.of())));
        assertTrue(CudaBackendProvider.compare("525.60.13", "525.60.2") > 0);
        assertTrue(CudaBackendProvider.compare("450.80.02", "525.60.13") < 0);
        assertEquals(0, CudaBackendProvider.compare("580.65.06", "580.65.06"));
    }
}
