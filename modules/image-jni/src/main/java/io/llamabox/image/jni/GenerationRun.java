package io.llamabox.image.jni;

import java.util.ArrayList;
import java.util.List;

/** Receives one generation's native callbacks and hands them to its listener. */
final class GenerationRun {
    private final GenerationListener listener;

    GenerationRun(GenerationListener listener) {
        this.listener = listener;
    }

    /** Called from native code on the generating thread. */
    void onStep(int step, int steps, float seconds) {
        listener.step(step, steps, seconds);
    }

    /** Called from native code on the generating thread: three ints per frame in {@code dims}. */
    void onPreview(int step, int[] dims, byte[][] frames, boolean noisy) {
        List<RawImage> images = new ArrayList<>(frames.length);
        for (int i = 0; i < frames.length; i++) {
            if (frames[i] != null) {
                images.add(new RawImage(dims[3 * i], dims[3 * i + 1], dims[3 * i + 2], frames[i]));
            }
        }
        listener.preview(step, List.copyOf(images), noisy);
    }
}
