/**
 * The engine SPI: what the HTTP layer asks of an inference engine (text generation, tokenization,
 * slots, metrics), image generation ({@link io.llamabox.spi.image.ImageEngine}) and what a hardware backend module provides ({@link io.llamabox.spi.BackendProvider}).
 */
module io.llamabox.spi {
    exports io.llamabox.spi;
    exports io.llamabox.spi.image;

    uses io.llamabox.spi.BackendProvider;
}
