package io.llamabox.config;

/**
 * The optional endpoints that are switched on ({@code --metrics}, {@code --infill}, {@code --embeddings},
 * {@code --images}, {@code --rerank}, {@code --slots}); all off by default.
 */
public record Endpoints(boolean metrics, boolean infill, boolean embeddings, boolean images, boolean rerank,
        boolean slots) {
    /** Every optional endpoint off. */
    public static Endpoints defaults() {
        return new Endpoints(false, false, false, false, false, false);
    }
}
