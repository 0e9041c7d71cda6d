/**
 * The image engine: {@link io.llamabox.spi.image.ImageEngine} over stable-diffusion.cpp. One worker thread per
 * model runs the queued generations in order, reports their steps and encodes the images as PNG.
 */
module io.llamabox.image.engine {
    requires transitive io.llamabox.spi;
    requires io.llamabox.image.jni;
    requires org.slf4j;
    // javax.imageio writes the PNG files
    requires java.desktop;

    exports io.llamabox.image.engine;
}
