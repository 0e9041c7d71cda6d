package io.llamabox.backend.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.backend.probe.testing.ElfFixture;
import io.llamabox.backend.probe.testing.FakeMachine;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginDirectoriesTest {
    @TempDir
    Path dir;

    @Test
    void thePropertyThenTheVariableThenTheImageThenTheSystem() {
        Host h = FakeMachine.at(dir).property(PluginDirectories.PROPERTY, "/a:/b").env(PluginDirectories.VARIABLE, "/c")
                .property("java.home", "/opt/llama-box").host();
        List<String> dirs = PluginDirectories.of(h);
        assertEquals(List.of("/a", "/b", "/c", "/opt/llama-box/lib/ggml", FakeMachine.PLUGINS), dirs.subList(0, 5));
        assertTrue(dirs.contains("/usr/local/bin"), "where cmake --install puts ggml's plugins");
    }

    @Test
    void theFirstDirectoryHoldingThePluginWins() {
        FakeMachine m = FakeMachine.at(dir).property("java.home", "/image").plugin("libggml-rpc.so")
                .pluginIn("/image/lib/ggml", "libggml-rpc.so");
        assertEquals(Optional.of("/image/lib/ggml/libggml-rpc.so"),
                PluginDirectories.find(m.host(), "libggml-rpc.so").map(PluginDirectories.Plugin::name));
        assertEquals(dir.resolve("image/lib/ggml/libggml-rpc.so"), PluginDirectories.find(m.host(), "libggml-rpc.so").orElseThrow().path());
        assertEquals(Optional.empty(), PluginDirectories.find(m.host(), "libggml-cuda.so"));
    }
}
