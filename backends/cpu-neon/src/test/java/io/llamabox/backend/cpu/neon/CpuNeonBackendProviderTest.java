package io.llamabox.backend.cpu.neon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.backend.probe.testing.FakeMachine;
import io.llamabox.backend.probe.Host;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuNeonBackendProviderTest {
    @TempDir
    Path dir;

    private FakeMachine installed(FakeMachine m) {
        for (String v : new String[] {"armv8.0_1", "armv8.2_1", "armv8.2_2", "armv8.6_1", "armv9.2_2"}) {
            m.pluginIn(FakeMachine.ARM_PLUGINS, "libggml-cpu-" + v + ".so", "libggml-base.so.0");
        }
        return m;
    }

    private static Host arm(FakeMachine m) {
        return m.host("Linux", "aarch64");
    }

    @Test
    void aGraviton2GetsTheDotProductBuild() {
        CpuNeonBackendProvider p = new CpuNeonBackendProvider(arm(installed(FakeMachine.at(dir)
                .armCpu("fp", "asimd", "evtstrm", "aes", "asimdhp", "asimddp", "lrcpc"))));
        assertTrue(p.probe().available(), p.probe().detail());
        assertEquals("armv8.2_2", p.chosen().name());
        assertTrue(p.probe().detail().contains(FakeMachine.ARM_PLUGINS + "/libggml-cpu-armv8.2_2.so"), p.probe().detail());
    }

    @Test
    void anSveAndI8mmProcessorWithoutItsExactBuildGetsTheNextOneDown() {
        CpuNeonBackendProvider p = new CpuNeonBackendProvider(arm(installed(FakeMachine.at(dir)
                .armCpu("asimd", "asimddp", "asimdhp", "sve", "i8mm"))));
        assertEquals("armv8.6_1", p.chosen().name());
    }

    @Test
    void x86IsRefusedAndAProcessorWithoutNeonIsExplained() {
        assertFalse(new CpuNeonBackendProvider(installed(FakeMachine.at(dir).x86Cpu("avx2")).host()).probe().available());
        CpuNeonBackendProvider none = new CpuNeonBackendProvider(arm(FakeMachine.at(dir.resolve("b")).armCpu("fp")));
        assertFalse(none.probe().available());
        assertTrue(none.probe().detail().contains("lacks NEON") && none.probe().detail().contains("asimd"),
                none.probe().detail());
    }
}
