/** The cpu-neon backend: 64-bit ARM CPUs with NEON (Advanced SIMD). */
module io.llamabox.backend.cpu.neon {
    requires io.llamabox.backend.probe;

    provides io.llamabox.spi.BackendProvider with io.llamabox.backend.cpu.neon.CpuNeonBackendProvider;
}
