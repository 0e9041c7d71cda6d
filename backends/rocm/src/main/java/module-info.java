/** The rocm backend: AMD GPUs through ROCm/HIP. */
module io.llamabox.backend.rocm {
    requires io.llamabox.backend.probe;

    provides io.llamabox.spi.BackendProvider with io.llamabox.backend.rocm.RocmBackendProvider;
}
