package io.llamabox.image.jni;

/** A failure reported by stable-diffusion.cpp, or a file it cannot use. */
public class DiffusionException extends RuntimeException {
    public DiffusionException(String message) {
        super(message);
    }
}
