/** The sycl backend: Intel GPUs through oneAPI SYCL. */
module io.llamabox.backend.sycl {
    requires io.llamabox.backend.probe;

    provides io.llamabox.spi.BackendProvider with io.llamabox.backend.sycl.SyclBackendProvider;
}
