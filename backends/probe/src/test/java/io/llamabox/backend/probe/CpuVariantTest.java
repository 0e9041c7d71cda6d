package io.llamabox.backend.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CpuVariantTest {
    private static final Set<String> HASWELL = Set.of("sse4_2", "avx", "f16c", "fma", "avx2", "bmi2");

    private static String best(List<CpuVariant> variants, Set<String> flags) {
        return variants.stream().filter(v -> v.runsOn(flags)).findFirst().map(CpuVariant::name).orElse("none");
    }

    @Test
    void eachX86ProcessorGetsTheBuildItsFlagsAllow() {
        assertEquals("haswell", best(CpuVariant.X86_AVX2_AND_OLDER, HASWELL));
        Set<String> alderlake = new java.util.HashSet<>(HASWELL);
        alderlake.add("avx_vnni");
        assertEquals("alderlake", best(CpuVariant.X86_AVX2_AND_OLDER, alderlake));
        assertEquals("sse42", best(CpuVariant.X86_AVX2_AND_OLDER, Set.of("sse4_2")));
        assertEquals("x64", best(CpuVariant.X86_AVX2_AND_OLDER, Set.of()));
        assertEquals("none", best(CpuVariant.X86_AVX512, HASWELL));
    }

    @Test
    void avx512BuildsFollowTheirExtensions() {
        Set<String> skx = new java.util.HashSet<>(HASWELL);
        skx.addAll(List.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"));
        assertEquals("skylakex", best(CpuVariant.X86_AVX512, skx));
        Set<String> cooper = new java.util.HashSet<>(skx);
        cooper.addAll(List.of("avx512_vnni", "avx512_bf16"));
        assertEquals("cooperlake", best(CpuVariant.X86_AVX512, cooper));
        Set<String> zen4 = new java.util.HashSet<>(cooper);
        zen4.add("avx512vbmi");
        assertEquals("zen4", best(CpuVariant.X86_AVX512, zen4));
        zen4.addAll(List.of("amx_tile", "amx_int8"));
        assertEquals("sapphirerapids", best(CpuVariant.X86_AVX512, zen4));
    }

    @Test
    void armBuildsFollowTheFeaturesLine() {
        assertEquals("armv8.0_1", best(CpuVariant.ARM64, Set.of("fp", "asimd")));
        assertEquals("armv8.2_2", best(CpuVariant.ARM64, Set.of("asimd", "asimddp", "asimdhp")));
        assertEquals("armv8.6_1", best(CpuVariant.ARM64, Set.of("asimd", "asimddp", "asimdhp", "sve", "i8mm")));
        assertEquals("armv9.2_2", best(CpuVariant.ARM64, Set.of("asimd", "asimddp", "asimdhp", "sve", "i8mm", "sve2", "sme")));
    }

    @Test
    void fileNamesAndLackingFlags() {
        assertEquals("libggml-cpu-zen4.so", CpuVariant.X86_AVX512.get(1).fileName());
        assertEquals("libggml-cpu.so", CpuVariant.GENERIC.fileName());
        assertTrue(CpuVariant.GENERIC.runsOn(Set.of()));
        CpuVariant skx = CpuVariant.X86_AVX512.getLast();
        assertFalse(skx.runsOn(HASWELL));
        assertEquals(List.of("avx512bw", "avx512cd", "avx512dq", "avx512f", "avx512vl"), skx.lacking(HASWELL));
    }
}
