package io.llamabox.config;

/**
 * Vision input.
 *
 * @param maxImageSize images larger than this (either side) are scaled down before encoding; 0 disables.
 *        Otherwise it must exceed 224 and be a multiple of 14 ({@code --visual-max-image-size})
 * @param fetchUrls whether images given as http(s) URLs are fetched; off ({@code --no-visual-url-fetch}),
 *        only inline {@code data:} URIs are accepted
 * @param maxProjectedCache how many projected image embeddings to keep for reuse, 0 none
 *        ({@code --max-projected-cache}, {@code --visual-max-image-cache})
 */
public record VisualSettings(int maxImageSize, boolean fetchUrls, int maxProjectedCache) {
    public VisualSettings {
        if (maxImageSize != 0 && (maxImageSize <= 224 || maxImageSize % 14 != 0)) {
            throw new IllegalArgumentException(
                    "maximum image size must be 0 or larger than 224 and a multiple of 14, got " + maxImageSize);
        }
        Invariants.atLeast("projected-embedding cache size", maxProjectedCache, 0);
    }

    /** Image URLs are fetched; no projected-embedding cache. */
    public VisualSettings(int maxImageSize) {
        this(maxImageSize, true, 0);
    }

    /** No projected-embedding cache. */
    public VisualSettings(int maxImageSize, boolean fetchUrls) {
        this(maxImageSize, fetchUrls, 0);
    }

    /** No resizing; image URLs are fetched; no projected-embedding cache. */
    public static VisualSettings defaults() {
        return new VisualSettings(0, true, 0);
    }

    /** Whether images are resized at all. */
    public boolean resizes() {
        return maxImageSize > 0;
    }
}
