package io.llamabox.server;

/**
 * The optional endpoints that are switched on ({@code --metrics}, {@code --infill}, {@code --embeddings},
 * {@code --rerank}, {@code --images}, {@code --slots}). A switched-off endpoint answers 501 with the flag
 * that would enable it, as llama.cpp's server does.
 */
public record EndpointFlags(boolean metrics, boolean infill, boolean embeddings, boolean rerank, boolean images,
                            boolean slots) {
    /** Every optional endpoint off, as without flags. */
    public static EndpointFlags none() {
        return new EndpointFlags(false, false, false, false, false, false);
    }
}
