package io.llamabox.spi;

import java.util.Objects;

/**
 * An image a client sent with a prompt, still encoded (PNG, JPEG, GIF, BMP or WebP). The engine
 * decodes, checks and resizes it; the array is not copied and must not change afterwards.
 *
 * @param data   the encoded bytes
 * @param source where it came from, for logs (a URL, or a short description of a data URI)
 */
public record PromptImage(byte[] data, String source) {
    public PromptImage {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(source, "source");
    }
}
