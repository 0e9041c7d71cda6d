package io.llamabox.image.jni;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** A LoRA applied to one generation: its file and how strongly it applies. */
public record Lora(Path path, float multiplier) {
    public Lora {
        Objects.requireNonNull(path, "path");
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException("LoRA file not found or not readable: " + path);
        }
        if (!Float.isFinite(multiplier)) {
            throw new IllegalArgumentException("LoRA multiplier must be finite, got " + multiplier);
        }
    }
}
