package io.llamabox.server;

import io.llamabox.spi.TextEngine;
import java.util.Objects;

/**
 * A model ready to serve: its engine, the renderer of its chat template, and the decode speed measured
 * at start when {@code --tokens-per-second -1} asked for it (0 when not measured).
 */
public record LoadedModel(TextEngine engine, PromptRenderer renderer, double measuredTokensPerSecond) {
    public LoadedModel {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(renderer, "renderer");
        if (!(measuredTokensPerSecond >= 0)) {
            throw new IllegalArgumentException("measured tokens per second must be >= 0, got " + measuredTokensPerSecond);
        }
    }

    public LoadedModel(TextEngine engine, PromptRenderer renderer) {
        this(engine, renderer, 0);
    }
}
