package io.llamabox.spi.image;

import java.util.Objects;

/**
 * The picture an edit starts from, already at the request's size, and what of it to repaint.
 *
 * @param width    width in pixels (the request's)
 * @param height   height in pixels (the request's)
 * @param rgb      the picture: 3 bytes a pixel (red, green, blue), rows top to bottom
 * @param mask     one byte a pixel, 255 where the picture is repainted and 0 where it is kept; null to repaint all
 *                 of it (image-to-image)
 * @param strength how far the picture is noised before it is denoised again: 0 keeps it, 1 draws anew
 */
public record ImageEdit(int width, int height, byte[] rgb, byte[] mask, double strength) {
    public ImageEdit {
        Objects.requireNonNull(rgb, "rgb");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("bad size " + width + "x" + height);
        }
        if (rgb.length != 3L * width * height) {
            throw new IllegalArgumentException(rgb.length + " bytes for a " + width + "x" + height + " RGB picture");
        }
        if (mask != null && mask.length != (long) width * height) {
            throw new IllegalArgumentException(mask.length + " mask bytes for a " + width + "x" + height + " picture");
        }
        if (!(strength >= 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be in 0..1, got " + strength);
        }
    }
}
