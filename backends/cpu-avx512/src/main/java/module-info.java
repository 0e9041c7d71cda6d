/** The cpu-avx512 backend: x86-64 CPUs with AVX-512. */
module io.llamabox.backend.cpu.avx512 {
    requires io.llamabox.backend.probe;

    provides io.llamabox.spi.BackendProvider with io.llamabox.backend.cpu.avx512.CpuAvx512BackendProvider;
}
