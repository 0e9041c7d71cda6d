/** The metal backend: Apple GPUs through Metal. */
module io.llamabox.backend.metal {
    requires io.llamabox.backend.probe;

    provides io.llamabox.spi.BackendProvider with io.llamabox.backend.metal.MetalBackendProvider;
}
