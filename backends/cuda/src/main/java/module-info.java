/** The cuda backend: NVIDIA GPUs through CUDA. */
module io.llamabox.backend.cuda {
    requires io.llamabox.backend.probe;

    provides io.llamabox.spi.BackendProvider with io.llamabox.backend.cuda.CudaBackendProvider;
}
