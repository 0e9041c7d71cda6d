package io.llamabox.image.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A processor without the features the image library was built for is told so before the library loads. */
class CpuRequirementsTest {
    @TempDir
    Path dir;

    @Test
    void theFlagsOfTheFirstProcessorAreRead() {
        Set<String> flags = CpuRequirements.flags(List.of("processor\t: 0", "flags\t\t: fpu sse4_2 avx",
                "processor\t: 1", "flags\t\t: fpu"));
        assertEquals(Set.of("fpu", "sse4_2", "avx"), flags);
        assertEquals(List.of("avx2", "fma"), CpuRequirements.missing(List.of("sse4_2", "avx", "avx2", "fma"), flags));
        assertEquals(List.of(), CpuRequirements.missing(List.of("avx2"), Set.of()), "a host that cannot tell");
    }

    @Test
    void aFeatureThisProcessorLacksStopsTheLoadWithItsName() throws Exception {
        Path library = Files.createFile(dir.resolve("libllamabox-image.so"));
        Files.writeString(dir.resolve("libllamabox-image.cpu"), "variant=future\nfeatures=sse4_2 no_such_feature_42\n");
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> CpuRequirements.check(library));
        assertTrue(e.getMessage().contains("CPU variant future") && e.getMessage().contains("lacks no_such_feature_42")
                && !e.getMessage().contains("lacks sse4_2"), e.getMessage());
    }

    @Test
    void theBuiltLibraryRunsOnThisProcessor() {
        Path library = ImageFixtures.library();
        assertTrue(Files.isRegularFile(library.resolveSibling("libllamabox-image.cpu")), "the build describes its CPU variant");
        CpuRequirements.check(library);
    }
}
