package io.llamabox.backend.cpu;

import java.util.List;
import java.util.Set;

/**
 * ggml's CPU plugin variants ({@code libggml-cpu-<name>.so}), best first, with the CPU flags (as
 * {@code /proc/cpuinfo} spells them) each one needs.
 */
enum CpuVariant {
    SAPPHIRERAPIDS("sapphirerapids", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_int8"),
    ZEN4("zen4", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512vbmi"),
    COOPERLAKE("cooperlake", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16"),
    ICELAKE("icelake", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512vbmi"),
    CASCADELAKE("cascadelake", "avx512f", "avx512bw", "avx512vl", "avx512_vnni"),
    CANNONLAKE("cannonlake", "avx512f", "avx512bw", "avx512vl", "avx512vbmi"),
    SKYLAKEX("skylakex", "avx512f", "avx512bw", "avx512vl", "avx512dq"),
    ALDERLAKE("alderlake", "avx2", "fma", "f16c", "bmi2", "avx_vnni"),
    HASWELL("haswell", "avx2", "fma", "f16c", "bmi2"),
    PILEDRIVER("piledriver", "avx", "fma", "f16c"),
    IVYBRIDGE("ivybridge", "avx", "f16c"),
    SANDYBRIDGE("sandybridge", "avx"),
    SSE42("sse42", "sse4_2"),
    X64("x64");

    final String pluginName;
    final Set<String> flags;

    CpuVariant(String pluginName, String... flags) {
        this.pluginName = pluginName;
        this.flags = Set.of(flags);
    }

    String fileName() {
        return "libggml-cpu-" + pluginName + ".so";
    }

    /** Whether this variant is one of the AVX-512 builds. */
    boolean avx512() {
        return flags.contains("avx512f");
    }

    /** The variants a CPU with these flags can run, best first. */
    static List<CpuVariant> supported(Set<String> cpuFlags) {
        return java.util.Arrays.stream(values()).filter(v -> cpuFlags.containsAll(v.flags)).toList();
    }
}
