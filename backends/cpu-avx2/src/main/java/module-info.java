/** The cpu-avx2 backend: x86-64 CPUs up to AVX2. */
module io.llamabox.backend.cpu.avx2 {
    requires io.llamabox.backend.probe;

    provides io.llamabox.spi.BackendProvider with io.llamabox.backend.cpu.avx2.CpuAvx2BackendProvider;
}
