/** The musa backend: Moore Threads GPUs through MUSA. */
module io.llamabox.backend.musa {
    requires io.llamabox.backend.probe;

    provides io.llamabox.spi.BackendProvider with io.llamabox.backend.musa.MusaBackendProvider;
}
