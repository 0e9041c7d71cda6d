package io.llamabox.config;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * RoPE and YaRN context extension; absent values come from the model.
 *
 * @param scaling frequency scaling method ({@code --rope-scaling})
 * @param frequencyBase base frequency ({@code --rope-freq-base})
 * @param frequencyScale frequency scaling factor ({@code --rope-freq-scale}; {@code --rope-scale N} gives 1/N)
 * @param yarnOriginalContext original context size, 0 for the model's training context ({@code --yarn-orig-ctx})
 * @param yarnExtFactor extrapolation mix factor, negative for the model's ({@code --yarn-ext-factor})
 * @param yarnAttnFactor attention magnitude scale ({@code --yarn-attn-factor})
 * @param yarnBetaFast low correction dimension ({@code --yarn-beta-fast})
 * @param yarnBetaSlow high correction dimension ({@code --yarn-beta-slow})
 */
public record RopeSettings(Optional<RopeScaling> scaling, OptionalDouble frequencyBase,
        OptionalDouble frequencyScale, int yarnOriginalContext, double yarnExtFactor, double yarnAttnFactor,
        double yarnBetaFast, double yarnBetaSlow) {
    public RopeSettings {
        Invariants.optional("RoPE scaling", scaling);
        Invariants.present("RoPE frequency base", frequencyBase);
        frequencyBase.ifPresent(v -> Invariants.positive("RoPE frequency base", v));
        Invariants.present("RoPE frequency scale", frequencyScale);
        frequencyScale.ifPresent(v -> Invariants.positive("RoPE frequency scale", v));
        Invariants.atLeast("YaRN original context", yarnOriginalContext, 0);
        Invariants.finite("YaRN extrapolation factor", yarnExtFactor);
        Invariants.finite("YaRN attention factor", yarnAttnFactor);
        Invariants.finite("YaRN beta fast", yarnBetaFast);
        Invariants.finite("YaRN beta slow", yarnBetaSlow);
    }
}
