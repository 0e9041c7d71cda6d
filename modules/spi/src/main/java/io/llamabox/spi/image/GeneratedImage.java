package io.llamabox.spi.image;

import java.util.Objects;

/**
 * An image as a PNG file.
 *
 * @param width width in pixels
 * @param height height in pixels
 * @param png the PNG file's bytes
 */
public record GeneratedImage(int width, int height, byte[] png) {
    public GeneratedImage {
        Objects.requireNonNull(png, "png");
    }
}
