package io.llamabox.backend.cpu.avx2;

import io.llamabox.backend.probe.CpuPluginProvider;
import io.llamabox.backend.probe.CpuVariant;
import io.llamabox.backend.probe.Host;
import java.util.Set;

/**
 * ggml's x86-64 CPU builds up to AVX2 ({@code haswell}, {@code alderlake}) and, on processors without
 * AVX2, the older builds down to the baseline, so that every x86-64 machine has a CPU backend.
 */
public final class CpuAvx2BackendProvider extends CpuPluginProvider {
    /** The provider for this machine, as {@link java.util.ServiceLoader} creates it. */
    public CpuAvx2BackendProvider() {
        this(Host.current());
    }

    CpuAvx2BackendProvider(Host host) {
        super(host, "cpu-avx2", "AVX2", "x86_64", CpuVariant.X86_AVX2_AND_OLDER, true, 10);
    }

    @Override
    protected String noteFor(CpuVariant chosen, Set<String> cpuFlags) {
        return cpuFlags.contains("avx2") || chosen == CpuVariant.GENERIC ? ""
                : " (this processor has no AVX2: generation is slower)";
    }
}
