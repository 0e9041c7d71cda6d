package io.llamabox.image.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Of several builds of the image library, the process loads one for the backend it uses and the best processor
 * features it has; a processor that can run none is told what each needs before anything is loaded.
 */
class LibraryChoiceTest {
    private static final Set<String> HASWELL_HOST = Set.of("sse4_2", "avx", "f16c", "fma", "avx2", "bmi2");

    @TempDir
    Path dir;

    @Test
    void theBuildWithTheMostFeaturesThisProcessorHasIsChosen() throws IOException {
        List<LibraryBuild> builds = layout();
        assertEquals("cpu-haswell", LibraryChoice.choose(builds, HASWELL_HOST, Set.of()).variant());
        assertEquals("cpu-x64", LibraryChoice.choose(builds, Set.of("sse2"), Set.of()).variant());
        assertEquals("cpu-skylakex", LibraryChoice.choose(builds, plus(HASWELL_HOST, "avx512f"), Set.of()).variant());
    }

    @Test
    void aBuildForTheAcceleratorInUseComesFirst() throws IOException {
        List<LibraryBuild> builds = layout();
        assertEquals("cpu-haswell+cuda", LibraryChoice.choose(builds, HASWELL_HOST, Set.of("CUDA")).variant());
        assertEquals("cpu-haswell+hip", LibraryChoice.choose(builds, HASWELL_HOST, Set.of("ROCm")).variant(),
                "ggml registers ROCm; the image build calls it hip");
        assertEquals("cpu-haswell", LibraryChoice.choose(builds, HASWELL_HOST, Set.of("Vulkan")).variant(),
                "no Vulkan build: the best CPU build, not another accelerator's");
    }

    @Test
    void aProcessorThatCanRunNoBuildIsToldWhatEachNeeds() throws IOException {
        write(dir, "cpu-haswell", "sse4_2 avx f16c fma avx2 bmi2", "");
        List<LibraryBuild> builds = LibraryBuild.in(dir);
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> LibraryChoice.choose(builds, Set.of("sse2", "sse4_2"), Set.of()));
        assertTrue(e.getMessage().contains("cpu-haswell") && e.getMessage().contains("needs avx f16c fma avx2 bmi2")
                && e.getMessage().contains("-Dllamabox.image.cpu.variant=x64"), e.getMessage());
    }

    @Test
    void aHostThatCannotTellItsFeaturesGetsTheFirstCpuBuild() throws IOException {
        assertEquals("cpu-haswell", LibraryChoice.choose(layout(), Set.of(), Set.of()).variant(),
                "unknown flags refuse nothing and rank nothing: the default build, not the one with the most features");
    }

    @Test
    void theBuiltLibraryIsFoundAndRunsOnThisProcessor() {
        Path native_ = ImageFixtures.library().getParent();
        LibraryBuild chosen = LibraryChoice.choose(LibraryBuild.in(native_), CpuRequirements.hostFlags(), Set.of());
        assertEquals(ImageFixtures.library().toAbsolutePath(), chosen.library().toAbsolutePath());
        assertTrue(chosen.variant().startsWith("cpu-"), chosen.variant());
        assertEquals(Set.of(), chosen.backends(), "the build here is for the CPU");
    }

    /** A runtime image's layout: the default build at the top, others in subdirectories. */
    private List<LibraryBuild> layout() throws IOException {
        write(dir, "cpu-haswell", "sse4_2 avx f16c fma avx2 bmi2", "");
        write(dir.resolve("x64"), "cpu-x64", "", "");
        write(dir.resolve("skylakex"), "cpu-skylakex", "sse4_2 avx f16c fma avx2 bmi2 avx512f", "");
        write(dir.resolve("cuda"), "cpu-haswell+cuda", "sse4_2 avx f16c fma avx2 bmi2", "cuda");
        write(dir.resolve("hip"), "cpu-haswell+hip", "sse4_2 avx f16c fma avx2 bmi2", "hip");
        List<LibraryBuild> builds = LibraryBuild.in(dir);
        assertEquals(5, builds.size());
        assertEquals("cpu-haswell", builds.getFirst().variant(), "the directory's own library is found first");
        return builds;
    }

    private static void write(Path at, String variant, String features, String backends) throws IOException {
        Files.createDirectories(at);
        Files.writeString(at.resolve(System.mapLibraryName(DiffusionLibrary.NAME)), "");
        Files.writeString(at.resolve(LibraryBuild.DESCRIPTOR),
                "variant=" + variant + "\nfeatures=" + features + "\nbackends=" + backends + "\n");
    }

    private static Set<String> plus(Set<String> flags, String flag) {
        var all = new java.util.HashSet<>(flags);
        all.add(flag);
        return all;
    }
}
