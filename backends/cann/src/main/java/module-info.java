/** The cann backend: Huawei Ascend NPUs through CANN. */
module io.llamabox.backend.cann {
    requires io.llamabox.backend.probe;

    provides io.llamabox.spi.BackendProvider with io.llamabox.backend.cann.CannBackendProvider;
}
