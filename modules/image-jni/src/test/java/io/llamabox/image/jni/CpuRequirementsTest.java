package io.llamabox.image.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** This processor's features are read as {@code /proc/cpuinfo} lists them. */
class CpuRequirementsTest {
    @Test
    void theFlagsOfTheFirstProcessorAreRead() {
        Set<String> flags = CpuRequirements.flags(List.of("processor\t: 0", "flags\t\t: fpu sse4_2 avx",
                "processor\t: 1", "flags\t\t: fpu"));
        assertEquals(Set.of("fpu", "sse4_2", "avx"), flags);
        assertEquals(List.of("avx2", "fma"), CpuRequirements.missing(List.of("sse4_2", "avx", "avx2", "fma"), flags));
        assertEquals(List.of(), CpuRequirements.missing(List.of("avx2"), Set.of()), "a host that cannot tell");
    }

    @Test
    void thisHostTellsItsFlags() {
        assertEquals(true, CpuRequirements.hostFlags().contains("sse2"), "an x86-64 Linux host lists sse2");
    }
}
