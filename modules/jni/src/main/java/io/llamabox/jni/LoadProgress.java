package io.llamabox.jni;

/** Receives model-loading progress (0..1); returning {@code false} cancels the load. */
@FunctionalInterface
public interface LoadProgress {
    LoadProgress NONE = fraction -> true;

    boolean onProgress(float fraction);
}
