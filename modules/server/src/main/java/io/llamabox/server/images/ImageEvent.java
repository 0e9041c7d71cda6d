package io.llamabox.server.images;

import io.llamabox.spi.EngineException;
import io.llamabox.spi.image.GeneratedImage;
import io.llamabox.spi.image.ImageUsage;
import java.util.List;

/** What the image engine reported for a generation, queued for the request's thread. */
public sealed interface ImageEvent {
    /** Step {@code step} of {@code steps} of image {@code index} is done. */
    record Step(int index, int step, int steps) implements ImageEvent {
    }

    /** A preview of image {@code index} after {@code step}. */
    record Preview(int index, int step, GeneratedImage image) implements ImageEvent {
    }

    /** Every image is done. */
    record Completed(List<GeneratedImage> images, ImageUsage usage) implements ImageEvent {
    }

    /** The generation failed or was cancelled. */
    record Failed(EngineException error) implements ImageEvent {
    }
}
