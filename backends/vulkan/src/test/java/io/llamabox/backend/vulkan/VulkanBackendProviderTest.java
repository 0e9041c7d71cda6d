package io.llamabox.backend.vulkan;

import io.llamabox.backend.probe.testing.AcceleratorContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VulkanBackendProviderTest {
    @Test
    void meetsTheAcceleratorContract(@TempDir Path dir) {
        AcceleratorContract.verify(dir, VulkanBackendProvider.SPEC, VulkanBackendProvider::new);
    }
}
