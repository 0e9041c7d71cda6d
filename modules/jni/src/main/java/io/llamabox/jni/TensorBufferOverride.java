package io.llamabox.jni;

import java.util.Objects;

/**
 * Weights whose names {@code pattern} finds (llama.cpp's regular expression search) go to the buffer type
 * named {@code bufferType} (one of {@link Llama#bufferTypes()}) instead of their layer's device.
 */
public record TensorBufferOverride(String pattern, String bufferType) {
    public TensorBufferOverride {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(bufferType, "bufferType");
        if (pattern.isEmpty() || bufferType.isEmpty()) {
            throw new IllegalArgumentException("a tensor override needs a pattern and a buffer type");
        }
    }
}
