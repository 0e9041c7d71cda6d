package io.llamabox.config;

import java.util.List;
import java.util.Optional;

/**
 * Control vectors added to the model's hidden states.
 *
 * @param vectors the vectors, in command-line order ({@code --control-vector}, {@code --control-vector-scaled})
 * @param layerRange the layers they apply to; absent means all layers ({@code --control-vector-layer-range})
 */
public record ControlVectorSettings(List<ControlVector> vectors, Optional<LayerRange> layerRange) {
    public ControlVectorSettings {
        vectors = Invariants.elements("control vectors", vectors);
        Invariants.optional("control vector layer range", layerRange);
    }
}
