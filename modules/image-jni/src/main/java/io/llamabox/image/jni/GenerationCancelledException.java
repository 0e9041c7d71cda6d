package io.llamabox.image.jni;

/** {@link DiffusionContext#generate} was stopped by {@link DiffusionContext#cancel()}. */
public final class GenerationCancelledException extends DiffusionException {
    public GenerationCancelledException(String message) {
        super(message);
    }
}
