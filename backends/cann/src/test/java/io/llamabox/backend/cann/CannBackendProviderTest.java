package io.llamabox.backend.cann;

import io.llamabox.backend.probe.testing.AcceleratorContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CannBackendProviderTest {
    @Test
    void meetsTheAcceleratorContract(@TempDir Path dir) {
        AcceleratorContract.verify(dir, CannBackendProvider.SPEC, CannBackendProvider::new);
    }
}
