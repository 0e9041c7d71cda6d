package io.llamabox.testkit.model;

import io.llamabox.testkit.gguf.GgmlType;

import java.util.Objects;

/**
 * The shape of a generated decoder model. Immutable; change it with the {@code withX} methods.
 *
 * @param arch         architecture (and with it the tokenizer: SPM for llama and gemma3, BPE for qwen2 and qwen2vl)
 * @param name         {@code general.name}
 * @param layers       number of blocks
 * @param embd         embedding width
 * @param heads        attention heads; must divide {@code embd}, and the head size must be even
 * @param kvHeads      key/value heads; must divide {@code heads}
 * @param ff           feed-forward width
 * @param vocab        vocabulary size, at least 300
 * @param ctx          training context length
 * @param type         type of the weight matrices (norms and biases are always F32); Q8_0 needs
 *                     {@code embd} and {@code ff} to be multiples of 32
 * @param seed         seed of the random weights
 * @param fim          whether the FIM tokens and their metadata are present
 * @param chatTemplate {@code tokenizer.chat_template}; {@code null} for none
 */
public record DecoderSpec(DecoderArch arch, String name, int layers, int embd, int heads, int kvHeads, int ff,
                          int vocab, int ctx, GgmlType type, long seed, boolean fim, String chatTemplate) {

    public static final int MIN_VOCAB = 300;

    public DecoderSpec {
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        positive("layers", layers);
        positive("embd", embd);
        positive("heads", heads);
        positive("kvHeads", kvHeads);
        positive("ff", ff);
        positive("ctx", ctx);
        if (embd % heads != 0 || (embd / heads) % 2 != 0) {
            throw new IllegalArgumentException("embd " + embd + " must be heads " + heads + " times an even head size");
        }
        if (arch == DecoderArch.QWEN2VL && embd / heads < 8) {
            throw new IllegalArgumentException("qwen2vl needs a head size of at least 8 for its M-RoPE sections, got "
                    + embd / heads);
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("kvHeads " + kvHeads + " must divide heads " + heads);
        }
        if (vocab < MIN_VOCAB) {
            throw new IllegalArgumentException("vocab must be at least " + MIN_VOCAB + ", got " + vocab);
        }
        if (type.blockSize() > 1 && (embd % type.blockSize() != 0 || ff % type.blockSize() != 0)) {
            throw new IllegalArgumentException(type + " needs embd and ff to be multiples of " + type.blockSize());
        }
    }

    static void positive(String what, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + v);
        }
    }

    /** A tiny llama model: 2 layers, 64 wide, 4 heads (2 kv), ff 128, 2048 tokens, ctx 4096, Q8_0, ChatML template. */
    public static DecoderSpec tinyLlama() {
        return new DecoderSpec(DecoderArch.LLAMA, "tiny-llama", 2, 64, 4, 2, 128, 2048, 4096, GgmlType.Q8_0, 42,
                false, ChatTemplates.CHATML);
    }

    /** A tiny qwen2 model with the same sizes as {@link #tinyLlama()}. */
    public static DecoderSpec tinyQwen2() {
        return tinyLlama().withArch(DecoderArch.QWEN2).withName("tiny-qwen2");
    }

    /**
     * A tiny Gemma 3 model ({@code gemma3}: sliding-window attention of {@link DecoderArch#SLIDING_WINDOW}
     * tokens in both layers) with the same sizes as {@link #tinyLlama()}.
     */
    public static DecoderSpec tinyGemma3() {
        return tinyLlama().withArch(DecoderArch.GEMMA3).withName("tiny-gemma3");
    }

    /**
     * A tiny Qwen2-VL text model ({@code qwen2vl}: M-RoPE) with the same sizes as {@link #tinyLlama()},
     * for {@link ProjectorSpec#tinyMergerFor}.
     */
    public static DecoderSpec tinyQwen2Vl() {
        return tinyLlama().withArch(DecoderArch.QWEN2VL).withName("tiny-qwen2vl");
    }

    /** A benchmark-sized llama model: 12 layers, 768 wide, 12 heads (4 kv), ff 3072, 32000 tokens, ~153M parameters, Q8_0. */
    public static DecoderSpec benchLlama() {
        return new DecoderSpec(DecoderArch.LLAMA, "bench-llama", 12, 768, 12, 4, 3072, 32000, 4096, GgmlType.Q8_0, 42,
                false, ChatTemplates.CHATML);
    }

    /** The tiny model of an architecture. */
    public static DecoderSpec tiny(DecoderArch arch) {
        return switch (arch) {
            case LLAMA -> tinyLlama();
            case QWEN2 -> tinyQwen2();
            case QWEN2VL -> tinyQwen2Vl();
            case GEMMA3 -> tinyGemma3();
        };
    }

    /**
     * The M-RoPE sections of a {@code qwen2vl} model ({@code rope.dimension_sections}): how many of the
     * head's {@code headSize / 2} rotary pairs turn with the temporal, height and width positions, and
     * a fourth unused section. Qwen2-VL's proportions: a quarter temporal, the rest split evenly.
     */
    public int[] ropeSections() {
        int pairs = headSize() / 2;
        int t = pairs / 4;
        int h = (pairs - t) / 2;
        return new int[] {t, h, pairs - t - h, 0};
    }

    public int headSize() {
        return embd / heads;
    }

    /** Width of the key (and value) projections. */
    public int kvWidth() {
        return headSize() * kvHeads;
    }

    /** Number of parameters the model will have. */
    public long parameterCount() {
        long perLayer = 2L * embd                              // attention and ffn norms
                + (long) embd * embd * 2 + (long) embd * kvWidth() * 2   // q, o, k, v
                + 3L * embd * ff;
        if (arch.qwen()) {
            perLayer += embd + 2L * kvWidth();
        }
        if (arch == DecoderArch.GEMMA3) {
            perLayer += 2L * embd + 2L * headSize();            // post-attention/ffn norms, q/k norms
        }
        return 2L * vocab * embd + embd + layers * perLayer;
    }

    public DecoderSpec withArch(DecoderArch v) {
        return new DecoderSpec(v, name, layers, embd, heads, kvHeads, ff, vocab, ctx, type, seed, fim, chatTemplate);
    }

    public DecoderSpec withName(String v) {
        return new DecoderSpec(arch, v, layers, embd, heads, kvHeads, ff, vocab, ctx, type, seed, fim, chatTemplate);
    }

    public DecoderSpec withLayers(int v) {
        return new DecoderSpec(arch, name, v, embd, heads, kvHeads, ff, vocab, ctx, type, seed, fim, chatTemplate);
    }

    public DecoderSpec withEmbd(int v) {
        return new DecoderSpec(arch, name, layers, v, heads, kvHeads, ff, vocab, ctx, type, seed, fim, chatTemplate);
    }

    public DecoderSpec withHeads(int v) {
        return new DecoderSpec(arch, name, layers, embd, v, kvHeads, ff, vocab, ctx, type, seed, fim, chatTemplate);
    }

    public DecoderSpec withKvHeads(int v) {
        return new DecoderSpec(arch, name, layers, embd, heads, v, ff, vocab, ctx, type, seed, fim, chatTemplate);
    }

    public DecoderSpec withFf(int v) {
        return new DecoderSpec(arch, name, layers, embd, heads, kvHeads, v, vocab, ctx, type, seed, fim, chatTemplate);
    }

    public DecoderSpec withVocab(int v) {
        return new DecoderSpec(arch, name, layers, embd, heads, kvHeads, ff, v, ctx, type, seed, fim, chatTemplate);
    }

    public DecoderSpec withCtx(int v) {
        return new DecoderSpec(arch, name, layers, embd, heads, kvHeads, ff, vocab, v, type, seed, fim, chatTemplate);
    }

    public DecoderSpec withType(GgmlType v) {
        return new DecoderSpec(arch, name, layers, embd, heads, kvHeads, ff, vocab, ctx, v, seed, fim, chatTemplate);
    }

    public DecoderSpec withSeed(long v) {
        return new DecoderSpec(arch, name, layers, embd, heads, kvHeads, ff, vocab, ctx, type, v, fim, chatTemplate);
    }

    public DecoderSpec withFim(boolean v) {
        return new DecoderSpec(arch, name, layers, embd, heads, kvHeads, ff, vocab, ctx, type, seed, v, chatTemplate);
    }

    /** {@code null} writes no template. */
    public DecoderSpec withChatTemplate(String v) {
        return new DecoderSpec(arch, name, layers, embd, heads, kvHeads, ff, vocab, ctx, type, seed, fim, v);
    }
}
