/** The CPU backend: picks the ggml CPU plugin variant that this processor supports best. */
module io.llamabox.backend.cpu {
    requires io.llamabox.spi;

    provides io.llamabox.spi.BackendProvider with io.llamabox.backend.cpu.CpuBackendProvider;
}
