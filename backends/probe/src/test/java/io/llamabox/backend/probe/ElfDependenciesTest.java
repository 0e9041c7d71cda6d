package io.llamabox.backend.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import io.llamabox.backend.probe.testing.ElfFixture;
import io.llamabox.backend.probe.testing.FakeMachine;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfDependenciesTest {
    @TempDir
    Path dir;

    @Test
    void neededLibrariesAndRunPathAreReadFromTheDynamicSection() throws Exception {
        Path lib = dir.resolve("libggml-cuda.so");
        ElfFixture.write(lib, List.of("libggml-base.so.0", "libcudart.so.12", "libcublas.so.12"), List.of("$ORIGIN", "/opt/cuda/lib64"));
        ElfDependencies d = ElfDependencies.of(lib).orElseThrow();
        assertEquals(List.of("libggml-base.so.0", "libcudart.so.12", "libcublas.so.12"), d.needed());
        assertEquals(List.of("$ORIGIN", "/opt/cuda/lib64"), d.runPath());
    }

    @Test
    void aRealLibraryOfThisJdkIsRead() {
        // every Linux JDK's libjava.so links against libjvm.so
        Path libjava = Path.of(System.getProperty("java.home"), "lib", "libjava.so");
        ElfDependencies d = ElfDependencies.of(libjava).orElseThrow();
        assertTrue(d.needed().contains("libjvm.so"), d.toString());
        assertTrue(d.needed().stream().anyMatch(n -> n.startsWith("libc.so")), d.toString());
    }

    @Test
    void whatIsNotAnElfFileGivesNothing() throws Exception {
        assertEquals(Optional.empty(), ElfDependencies.of(Files.writeString(dir.resolve("text.so"), "not an ELF file")));
        assertEquals(Optional.empty(), ElfDependencies.of(Files.write(dir.resolve("empty.so"), new byte[0])));
        assertEquals(Optional.empty(), ElfDependencies.of(dir.resolve("absent.so")));
        Path lib = dir.resolve("cut.so");
        ElfFixture.write(lib, List.of("libfoo.so.1"), List.of());
        byte[] all = Files.readAllBytes(lib);
        Files.write(lib, java.util.Arrays.copyOf(all, all.length - 100));
        assertEquals(Optional.empty(), ElfDependencies.of(lib), "section headers cut off");
    }
}
