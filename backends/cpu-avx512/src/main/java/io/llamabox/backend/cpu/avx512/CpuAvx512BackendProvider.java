package io.llamabox.backend.cpu.avx512;

import io.llamabox.backend.probe.CpuPluginProvider;
import io.llamabox.backend.probe.CpuVariant;
import io.llamabox.backend.probe.Host;

/**
 * ggml's x86-64 CPU builds for AVX-512 processors ({@code skylakex} up to {@code sapphirerapids} and
 * {@code zen4}); preferred over the AVX2 module wherever it can run.
 */
public final class CpuAvx512BackendProvider extends CpuPluginProvider {
    /** The provider for this machine, as {@link java.util.ServiceLoader} creates it. */
    public CpuAvx512BackendProvider() {
        this(Host.current());
    }

    CpuAvx512BackendProvider(Host host) {
        super(host, "cpu-avx512", "AVX-512", "x86_64", CpuVariant.X86_AVX512, false, 20);
    }
}
