package io.llamabox.config;

/**
 * Vision input.
 *
 * @param maxImageSize images larger than this (either side) are scaled down before encoding; 0 disables.
 *        Otherwise it must exceed 224 and be a multiple of 14 ({@code --visual-max-image-size})
 */
public record VisualSettings(int maxImageSize) {
    public VisualSettings {
        if (maxImageSize != 0 && (maxImageSize <= 224 || maxImageSize % 14 != 0)) {
            throw new IllegalArgumentException(
                    "maximum image size must be 0 or larger than 224 and a multiple of 14, got " + maxImageSize);
        }
    }

    /** No resizing. */
    public static VisualSettings defaults() {
        return new VisualSettings(0);
    }

    /** Whether images are resized at all. */
    public boolean resizes() {
        return maxImageSize > 0;
    }
}
