package io.llamabox.backend.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llamabox.backend.probe.testing.ElfFixture;
import io.llamabox.backend.probe.testing.FakeMachine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkCheckTest {
    @TempDir
    Path dir;

    private static PluginDirectories.Plugin plugin(Host h, String name) {
        return PluginDirectories.find(h, name).orElseThrow();
    }

    @Test
    void librariesOfTheProcessAndInstalledOnesAreNotMissing() {
        FakeMachine m = FakeMachine.at(dir).library("libgomp.so.1")
                .plugin("libggml-cpu-haswell.so", "libggml-base.so.0", "libgomp.so.1", "libstdc++.so.6", "libm.so.6",
                        "libc.so.6", "libcublas.so.12");
        assertEquals(List.of("libcublas.so.12"), LinkCheck.missing(m.host(), plugin(m.host(), "libggml-cpu-haswell.so")));
    }

    @Test
    void thePluginsOwnRunPathCounts() throws Exception {
        FakeMachine m = FakeMachine.at(dir).file(FakeMachine.PLUGINS + "/libbundled.so.2");
        Path p = m.host().file(FakeMachine.PLUGINS + "/libggml-vulkan.so");
        ElfFixture.write(p, List.of("libbundled.so.2", "libvulkan.so.1"), List.of("$ORIGIN"));
        assertEquals(List.of("libvulkan.so.1"), LinkCheck.missing(m.host(), plugin(m.host(), "libggml-vulkan.so")));
        m.env("LD_LIBRARY_PATH", "/opt/vulkan").file("/opt/vulkan/libvulkan.so.1");
        assertEquals(List.of(), LinkCheck.missing(m.host(), plugin(m.host(), "libggml-vulkan.so")));
    }
}
