package io.llamabox.backend.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.backend.probe.testing.ElfFixture;
import io.llamabox.backend.probe.testing.FakeMachine;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostTest {
    @TempDir
    Path dir;

    @Test
    void cpuFlagsComeFromTheFlagsLineOnX86AndTheFeaturesLineOnArm() {
        assertEquals(Set.of("sse4_2", "avx2", "fma"), FakeMachine.at(dir.resolve("x")).x86Cpu("SSE4_2", "avx2", "fma").host().cpuFlags());
        assertEquals(Set.of("fp", "asimd", "asimddp"), FakeMachine.at(dir.resolve("a")).armCpu("fp", "asimd", "asimddp")
                .host("Linux", "aarch64").cpuFlags());
        assertEquals(Set.of(), FakeMachine.at(dir.resolve("none")).host().cpuFlags(), "no /proc/cpuinfo, no flags");
    }

    @Test
    void osAndArchAreNormalized() {
        Host h = FakeMachine.at(dir).host("Mac OS X", "arm64");
        assertEquals("macos", h.os());
        assertEquals("aarch64", h.arch());
        assertEquals("x86_64", FakeMachine.at(dir).host("Linux", "amd64").arch());
        assertEquals("x86_64-linux-gnu", FakeMachine.at(dir).host().multiarch());
    }

    @Test
    void libraryDirectoriesFollowTheDynamicLinkersOrder() {
        FakeMachine m = FakeMachine.at(dir)
                .env("LD_LIBRARY_PATH", "/opt/vendor/lib:relative/ignored")
                .text("/etc/ld.so.conf", "# comment\ninclude /etc/ld.so.conf.d/*.conf\n/opt/first\n")
                .text("/etc/ld.so.conf.d/cuda.conf", "/usr/local/cuda/lib64 # trailing comment\n")
                .text("/etc/ld.so.conf.d/x86_64-linux-gnu.conf", "/usr/local/lib/x86_64-linux-gnu\n");
        List<String> dirs = m.host().libraryDirectories();
        assertEquals(List.of("/opt/vendor/lib", "/usr/local/cuda/lib64", "/usr/local/lib/x86_64-linux-gnu", "/opt/first",
                "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu"), dirs.subList(0, 6));
        assertTrue(dirs.contains("/usr/lib64") && dirs.contains("/usr/local/lib"), dirs.toString());
    }

    @Test
    void aLoaderStartedWithALibraryPathSearchesItInsteadOfLdLibraryPath() {
        FakeMachine m = FakeMachine.at(dir).env("LD_LIBRARY_PATH", "/opt/ignored")
                .property(Host.LOADER_LIBRARY_PATH, "/image/lib/native:/image/lib/sys")
                .file("/image/lib/sys/libgomp.so.1").file("/opt/ignored/libvulkan.so.1");
        assertEquals(List.of("/image/lib/native", "/image/lib/sys", "/lib/x86_64-linux-gnu"), m.host().libraryDirectories().subList(0, 3));
        assertEquals(Optional.of("/image/lib/sys/libgomp.so.1"), m.host().findLibrary("libgomp.so.1"));
        assertEquals(Optional.empty(), m.host().findLibrary("libvulkan.so.1"));
    }

    @Test
    void librariesAreFoundWhereTheLinkerLooksFirst() {
        FakeMachine m = FakeMachine.at(dir).env("LD_LIBRARY_PATH", "/opt/rocm/lib")
                .file("/opt/rocm/lib/libamdhip64.so.6").library("libamdhip64.so.6");
        assertEquals(Optional.of("/opt/rocm/lib/libamdhip64.so.6"), m.host().findLibrary("libamdhip64.so.6"));
        assertEquals(Optional.of("/usr/lib/x86_64-linux-gnu/libamdhip64.so.6"),
                FakeMachine.at(dir).host().findLibrary("libamdhip64.so.6"), "without LD_LIBRARY_PATH");
        assertEquals(Optional.empty(), m.host().findLibrary("libcuda.so.1"));
        m.file("/plugins/own/libdep.so");
        assertEquals(Optional.of("/plugins/own/libdep.so"), m.host().findLibrary("libdep.so", List.of("/plugins/own")));
    }

    @Test
    void globsMatchTheLastPathElement() {
        FakeMachine m = FakeMachine.at(dir).file("/dev/nvidia0").file("/dev/nvidia1").file("/dev/nvidiactl")
                .file("/dev/dri/renderD128");
        assertEquals(List.of("/dev/nvidia0", "/dev/nvidia1"), m.host().glob("/dev/nvidia[0-9]*"));
        assertEquals(List.of("/dev/dri/renderD128"), m.host().glob("/dev/dri/renderD*"));
        assertEquals(List.of(), m.host().glob("/dev/kfd"));
        assertEquals(List.of(), m.host().glob("/no/such/dir/*"));
    }

    @Test
    void theCurrentHostIsThisJvmsMachine() {
        Host h = Host.current();
        assertEquals(Path.of("/"), h.root());
        assertEquals(Host.normalizeArch(System.getProperty("os.arch")), h.arch());
        assertEquals(Optional.of(System.getProperty("java.home")), h.property("java.home"));
    }
}
