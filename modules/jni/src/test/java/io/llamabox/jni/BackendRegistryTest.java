package io.llamabox.jni;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the launcher asks of ggml's registry: which plugin serves a backend, the RPC protocol, device lists. */
class BackendRegistryTest {
    @Test
    void theCpuBackendIsTracedToThePluginFileThatRegisteredIt() {
        Fixtures.backends();
        Path plugin = Llama.backendLibrary("CPU").orElseThrow();
        assertTrue(plugin.getFileName().toString().matches("libggml-cpu(-[a-z0-9_.]+)?\\.so"), plugin.toString());
        assertTrue(Files.isRegularFile(plugin), plugin.toString());
        assertEquals(Optional.empty(), Llama.backendLibrary("NO-SUCH-BACKEND"));
    }

    @Test
    void theRpcProtocolIsTheInstalledGgmls() {
        int[] v = Llama.rpcProtocolVersion();
        assertEquals(3, v.length);
        assertTrue(v[0] >= 3, "ggml RPC protocols before 3 had no device index: " + v[0]);
        assertThrows(IllegalArgumentException.class, () -> Llama.addRpcServer("no-port"));
    }

    @Test
    void anEmptyDeviceListIsNotTheDefaultList() throws Exception {
        assertNull(ModelParams.defaults().devices(), "null lets llama.cpp choose");
        ModelParams none = ModelParams.defaults().withDevices(new int[0], null, SplitMode.LAYER, 0).withGpuLayers(-1);
        assertArrayEquals(new int[0], none.devices());
        try (Model m = Model.load(Fixtures.llama(), none, LoadProgress.NONE)) {
            assertTrue(m.info().nLayer() > 0);
        }
        assertThrows(IllegalArgumentException.class, () -> Model.load(Fixtures.llama(),
                ModelParams.defaults().withDevices(new int[] {Llama.devices().size()}, null, SplitMode.LAYER, 0),
                LoadProgress.NONE));
    }
}
