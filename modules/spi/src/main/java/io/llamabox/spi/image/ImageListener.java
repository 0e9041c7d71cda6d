package io.llamabox.spi.image;

import io.llamabox.spi.EngineException;
import java.util.List;

/** Hears one generation. Calls come from the engine's thread, one at a time, and must return quickly. */
public interface ImageListener {
    /** Step {@code step} of {@code steps} of image {@code index} is done. */
    void onStep(int index, int step, int steps);

    /** A preview of image {@code index} after {@code step} (only when the request asked for previews). */
    default void onPreview(int index, int step, GeneratedImage preview) {
    }

    /** Every image is done. */
    void onComplete(List<GeneratedImage> images, ImageUsage usage);

    /** The generation failed or was cancelled; nothing follows. */
    void onError(EngineException error);
}
