package io.llamabox.backend.rpc;

import io.llamabox.backend.probe.testing.AcceleratorContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RpcBackendProviderTest {
    @Test
    void meetsTheAcceleratorContract(@TempDir Path dir) {
        AcceleratorContract.verify(dir, RpcBackendProvider.SPEC, RpcBackendProvider::new);
    }
}
