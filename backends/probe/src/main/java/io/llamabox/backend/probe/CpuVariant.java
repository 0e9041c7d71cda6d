package io.llamabox.backend.probe;

import java.util.List;
import java.util.Set;

/**
 * One build of ggml's CPU backend ({@code libggml-cpu-<name>.so}) and the CPU flags it needs, as
 * {@code /proc/cpuinfo} spells them. The lists hold the builds of ggml's {@code GGML_CPU_ALL_VARIANTS},
 * best first.
 */
public record CpuVariant(String name, Set<String> flags) {
    private static final String[] AVX512 = {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"};
    private static final String[] AVX2 = {"sse4_2", "avx", "f16c", "fma", "avx2", "bmi2"};

    /** The x86-64 builds that need AVX-512. */
    public static final List<CpuVariant> X86_AVX512 = List.of(
            x86("sapphirerapids", AVX512, "avx512vbmi", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_int8"),
            x86("zen4", AVX512, "avx512vbmi", "avx512_vnni", "avx512_bf16"),
            x86("cooperlake", AVX512, "avx512_vnni", "avx512_bf16"),
            x86("icelake", AVX512, "avx512vbmi", "avx512_vnni"),
            x86("cascadelake", AVX512, "avx512_vnni"),
            x86("cannonlake", AVX512, "avx512vbmi"),
            x86("skylakex", AVX512));

    /** The x86-64 builds up to AVX2 (and AVX-VNNI), down to the baseline that every x86-64 CPU runs. */
    public static final List<CpuVariant> X86_AVX2_AND_OLDER = List.of(
            x86("alderlake", AVX2, "avx_vnni"),
            x86("haswell", AVX2),
            new CpuVariant("piledriver", Set.of("sse4_2", "avx", "f16c", "fma")),
            new CpuVariant("ivybridge", Set.of("sse4_2", "avx", "f16c")),
            new CpuVariant("sandybridge", Set.of("sse4_2", "avx")),
            new CpuVariant("sse42", Set.of("sse4_2")),
            new CpuVariant("x64", Set.of()));

    /** The 64-bit ARM (Linux) builds, named for the architecture version that introduced their features. */
    public static final List<CpuVariant> ARM64 = List.of(
            new CpuVariant("armv9.2_2", Set.of("asimd", "asimddp", "asimdhp", "sve", "i8mm", "sve2", "sme")),
            new CpuVariant("armv9.2_1", Set.of("asimd", "asimddp", "asimdhp", "sve", "i8mm", "sme")),
            new CpuVariant("armv8.6_2", Set.of("asimd", "asimddp", "asimdhp", "sve", "i8mm", "sve2")),
            new CpuVariant("armv8.6_1", Set.of("asimd", "asimddp", "asimdhp", "sve", "i8mm")),
            new CpuVariant("armv8.2_3", Set.of("asimd", "asimddp", "asimdhp", "sve")),
            new CpuVariant("armv8.2_2", Set.of("asimd", "asimddp", "asimdhp")),
            new CpuVariant("armv8.2_1", Set.of("asimd", "asimddp")),
            new CpuVariant("armv8.0_1", Set.of("asimd")));

    /** A CPU plugin built without variants ({@code libggml-cpu.so}), for the machine that compiled it. */
    public static final CpuVariant GENERIC = new CpuVariant("", Set.of());

    public CpuVariant {
        flags = Set.copyOf(flags);
    }

    private static CpuVariant x86(String name, String[] base, String... more) {
        Set<String> all = new java.util.HashSet<>(List.of(base));
        all.addAll(List.of(AVX2));
        all.addAll(List.of(more));
        return new CpuVariant(name, all);
    }

    /** The plugin's file name. */
    public String fileName() {
        return name.isEmpty() ? "libggml-cpu.so" : "libggml-cpu-" + name + ".so";
    }

    /** Whether a CPU with these flags runs this build. */
    public boolean runsOn(Set<String> cpuFlags) {
        return cpuFlags.containsAll(flags);
    }

    /** The flags this build needs that a CPU with {@code cpuFlags} lacks, sorted. */
    public List<String> lacking(Set<String> cpuFlags) {
        return flags.stream().filter(f -> !cpuFlags.contains(f)).sorted().toList();
    }
}
