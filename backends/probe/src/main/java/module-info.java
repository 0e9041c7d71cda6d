/**
 * What the hardware backend modules share: a view of the host that tests can fake ({@link
 * io.llamabox.backend.probe.Host}), where ggml plugins are looked up, the CPU plugin variants, and the
 * base classes of CPU and accelerator providers that check plugins, driver libraries and device nodes.
 */
module io.llamabox.backend.probe {
    requires transitive io.llamabox.spi;

    exports io.llamabox.backend.probe;
}
