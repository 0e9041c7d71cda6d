package io.llamabox.backend.rocm;

import io.llamabox.backend.probe.testing.AcceleratorContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocmBackendProviderTest {
    @Test
    void meetsTheAcceleratorContract(@TempDir Path dir) {
        AcceleratorContract.verify(dir, RocmBackendProvider.SPEC, RocmBackendProvider::new);
    }
}
