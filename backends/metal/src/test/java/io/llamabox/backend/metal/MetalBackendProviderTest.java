package io.llamabox.backend.metal;

import io.llamabox.backend.probe.testing.AcceleratorContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetalBackendProviderTest {
    @Test
    void meetsTheAcceleratorContract(@TempDir Path dir) {
        AcceleratorContract.verify(dir, MetalBackendProvider.SPEC, MetalBackendProvider::new);
    }
}
