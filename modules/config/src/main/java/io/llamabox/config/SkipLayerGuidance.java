package io.llamabox.config;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Skip-layer guidance of DiT image models.
 *
 * @param scale guidance scale, 0 off; absent uses the model's default ({@code --image-slg-scale})
 * @param skipLayers layers skipped while guidance is on ({@code --image-slg-skip-layer})
 * @param start fraction of the steps at which guidance starts ({@code --image-slg-start})
 * @param end fraction of the steps at which guidance ends ({@code --image-slg-end})
 */
public record SkipLayerGuidance(OptionalDouble scale, List<Integer> skipLayers, double start, double end) {
    public static final List<Integer> DEFAULT_SKIP_LAYERS = List.of(7, 8, 9);

    public SkipLayerGuidance {
        Invariants.present("skip-layer guidance scale", scale);
        scale.ifPresent(v -> Invariants.atLeast("skip-layer guidance scale", v, 0.0));
        skipLayers = Invariants.elements("skip-layer guidance layers", skipLayers);
        for (int layer : skipLayers) {
            Invariants.atLeast("skipped layer", layer, 0);
        }
        Invariants.between("skip-layer guidance start", start, 0.0, 1.0);
        Invariants.between("skip-layer guidance end", end, 0.0, 1.0);
        if (end < start) {
            throw new IllegalArgumentException(
                    "skip-layer guidance end (" + end + ") is before its start (" + start + ")");
        }
    }
}
