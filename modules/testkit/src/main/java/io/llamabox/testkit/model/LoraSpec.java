package io.llamabox.testkit.model;

import java.util.Objects;

/**
 * A generated LoRA adapter for a decoder: low-rank updates {@code B·A} of every attention and
 * feed-forward matrix of {@code base}, as llama.cpp loads them ({@code general.type = adapter},
 * {@code adapter.type = lora}, tensors {@code <weight>.lora_a} {@code {in, rank}} and
 * {@code <weight>.lora_b} {@code {rank, out}}). llama.cpp scales an update by {@code scale * alpha / rank};
 * the random factors are sized so that at scale 1 an update is about {@code alpha / rank} times the
 * weight it changes, enough to change greedy output.
 *
 * @param base  the model the adapter is for (its architecture and shapes)
 * @param name  {@code general.name}
 * @param rank  rank of the updates
 * @param alpha {@code adapter.lora.alpha}
 * @param seed  seed of the random factors
 */
public record LoraSpec(DecoderSpec base, String name, int rank, float alpha, long seed) {
    public LoraSpec {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(name, "name");
        DecoderSpec.positive("rank", rank);
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("alpha must be positive, got " + alpha);
        }
    }

    /** A rank-4 adapter with alpha 8 (updates twice the size of the weights) for {@code base}. */
    public static LoraSpec of(DecoderSpec base) {
        return new LoraSpec(base, base.name() + "-lora", 4, 8f, 7);
    }

    public LoraSpec withRank(int v) {
        return new LoraSpec(base, name, v, alpha, seed);
    }

    public LoraSpec withAlpha(float v) {
        return new LoraSpec(base, name, rank, v, seed);
    }

    public LoraSpec withSeed(long v) {
        return new LoraSpec(base, name, rank, alpha, v);
    }
}
