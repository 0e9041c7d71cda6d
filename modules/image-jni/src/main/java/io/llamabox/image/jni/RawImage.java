package io.llamabox.image.jni;

import java.util.Objects;

/**
 * An image as stable-diffusion.cpp hands it over: {@code channels} bytes per pixel (3: RGB), rows top to
 * bottom, no padding.
 */
public record RawImage(int width, int height, int channels, byte[] pixels) {
    public RawImage {
        Objects.requireNonNull(pixels, "pixels");
        if (width <= 0 || height <= 0 || channels <= 0) {
            throw new IllegalArgumentException("bad image size " + width + "x" + height + "x" + channels);
        }
        if ((long) width * height * channels != pixels.length) {
            throw new IllegalArgumentException("pixel buffer of " + pixels.length + " bytes for a "
                    + width + "x" + height + "x" + channels + " image");
        }
    }
}
