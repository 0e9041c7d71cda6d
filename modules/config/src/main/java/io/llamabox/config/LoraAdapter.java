package io.llamabox.config;

import java.nio.file.Path;

/** A LoRA adapter file and the scale it is applied with ({@code --lora}, {@code --lora-scaled}). */
public record LoraAdapter(Path path, double scale) {
    public LoraAdapter {
        Invariants.present("LoRA adapter path", path);
        Invariants.finite("LoRA adapter scale", scale);
    }
}
