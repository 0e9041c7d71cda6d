package io.llamabox.image.jni;

import java.util.List;

/**
 * Follows one {@link DiffusionContext#generate} call. Calls come on the generating thread; an exception
 * thrown here stops the generation and is rethrown by {@code generate}.
 */
@FunctionalInterface
public interface GenerationListener {
    /** Does nothing. */
    GenerationListener NONE = (step, steps, seconds) -> {
    };

    /**
     * Sampling started ({@code step} 0) or a sampling step finished; {@code seconds} is the time it took.
     * With a batch, each image counts its steps from 0 again.
     */
    void step(int step, int steps, float seconds);

    /** A preview of step {@code step} (one frame per image), of the noisy latent when {@code noisy}. */
    default void preview(int step, List<RawImage> frames, boolean noisy) {
    }
}
