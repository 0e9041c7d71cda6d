package io.llamabox.backend.cpu.neon;

import io.llamabox.backend.probe.CpuPluginProvider;
import io.llamabox.backend.probe.CpuVariant;
import io.llamabox.backend.probe.Host;

/**
 * ggml's 64-bit ARM CPU builds, from plain NEON ({@code armv8.0_1}) up to SVE2 and SME
 * ({@code armv9.2_2}), chosen from the {@code Features} line of {@code /proc/cpuinfo}.
 */
public final class CpuNeonBackendProvider extends CpuPluginProvider {
    /** The provider for this machine, as {@link java.util.ServiceLoader} creates it. */
    public CpuNeonBackendProvider() {
        this(Host.current());
    }

    CpuNeonBackendProvider(Host host) {
        super(host, "cpu-neon", "NEON (Advanced SIMD)", "aarch64", CpuVariant.ARM64, true, 10);
    }
}
