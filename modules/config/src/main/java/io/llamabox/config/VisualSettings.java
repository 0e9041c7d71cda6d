package io.llamabox.config;

/**
 * Vision input.
 *
 * @param maxImageSize images larger than this (either side) are scaled down before encoding; 0 disables.
 *        Otherwise it must exceed 224 and be a multiple of 14 ({@code --visual-max-image-size})
 * @param fetchUrls whether images given as http(s) URLs are fetched; off ({@code --no-visual-url-fetch}),
 *        only inline {@code data:} URIs are accepted
 */
public record VisualSettings(int maxImageSize, boolean fetchUrls) {
    public VisualSettings {
        if (maxImageSize != 0 && (maxImageSize <= 224 || maxImageSize % 14 != 0)) {
            throw new IllegalArgumentException(
                    "maximum image size must be 0 or larger than 224 and a multiple of 14, got " + maxImageSize);
        }
    }

    /** Image URLs are fetched. */
    public VisualSettings(int maxImageSize) {
        this(maxImageSize, true);
    }

    /** No resizing; image URLs are fetched. */
    public static VisualSettings defaults() {
        return new VisualSettings(0, true);
    }

    /** Whether images are resized at all. */
    public boolean resizes() {
        return maxImageSize > 0;
    }
}
