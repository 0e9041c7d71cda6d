/**
 * The engine SPI: what the HTTP layer asks of an inference engine (text generation, tokenization,
 * slots, metrics) and what a hardware backend module provides ({@link io.llamabox.spi.BackendProvider}).
 */
module io.llamabox.spi {
    exports io.llamabox.spi;

    uses io.llamabox.spi.BackendProvider;
}
