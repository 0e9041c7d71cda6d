package io.llamabox.testkit.model;

import java.util.Objects;

/**
 * A generated LoRA for a {@link DiffusionSpec} model, in the kohya naming stable-diffusion.cpp reads
 * ({@code lora_unet_<module with _ for .>.lora_down.weight}, {@code .lora_up.weight}, {@code .alpha}):
 * low-rank updates of the four projections ({@code to_q}, {@code to_k}, {@code to_v}, {@code to_out.0}) of
 * both attentions of every UNet transformer block. stable-diffusion.cpp scales an update by
 * {@code multiplier * alpha / rank}; the random factors are sized so that at multiplier 1 an update is
 * about {@code alpha / rank} times the weight it changes, enough to change the image.
 *
 * @param base  the model the LoRA is for (its shapes)
 * @param name  {@code general.name}
 * @param rank  rank of the updates
 * @param alpha the {@code .alpha} of every update
 * @param seed  seed of the random factors
 */
public record DiffusionLoraSpec(DiffusionSpec base, String name, int rank, float alpha, long seed) {
    public DiffusionLoraSpec {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(name, "name");
        DecoderSpec.positive("rank", rank);
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("alpha must be positive, got " + alpha);
        }
    }

    /** A rank-4 LoRA with alpha 8 (updates twice the size of the weights) for {@code base}. */
    public static DiffusionLoraSpec of(DiffusionSpec base) {
        return new DiffusionLoraSpec(base, base.name() + "-lora", 4, 8f, 7);
    }

    public DiffusionLoraSpec withName(String v) {
        return new DiffusionLoraSpec(base, v, rank, alpha, seed);
    }

    public DiffusionLoraSpec withRank(int v) {
        return new DiffusionLoraSpec(base, name, v, alpha, seed);
    }

    public DiffusionLoraSpec withAlpha(float v) {
        return new DiffusionLoraSpec(base, name, rank, v, seed);
    }

    public DiffusionLoraSpec withSeed(long v) {
        return new DiffusionLoraSpec(base, name, rank, alpha, v);
    }

    /** Number of values in the file. */
    public long parameterCount() {
        return DiffusionModelGenerator.writer(this).tensorInfos().stream().mapToLong(t -> t.elementCount()).sum();
    }
}
