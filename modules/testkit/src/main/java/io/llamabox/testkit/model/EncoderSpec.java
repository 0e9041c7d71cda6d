package io.llamabox.testkit.model;

import io.llamabox.testkit.gguf.GgmlType;

import java.util.Objects;

/**
 * The shape of a generated BERT encoder: an embedding model (MEAN or CLS pooling) or, with RANK
 * pooling, a reranker with a classification head. Immutable; change it with the {@code withX} methods.
 *
 * @param name    {@code general.name}
 * @param layers  number of blocks
 * @param embd    embedding width
 * @param heads   attention heads; must divide {@code embd}
 * @param ff      feed-forward width
 * @param vocab   WordPiece vocabulary size, at least 300
 * @param ctx     training context length (rows of the position embeddings)
 * @param type    type of the weight matrices (norms, biases and the token-type embeddings stay F32)
 * @param seed    seed of the random weights
 * @param pooling pooling type; RANK adds {@code cls.*} and {@code cls.output.*}
 */
public record EncoderSpec(String name, int layers, int embd, int heads, int ff, int vocab, int ctx, GgmlType type,
                          long seed, Pooling pooling) {

    public static final int MIN_VOCAB = 300;

    public EncoderSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(pooling, "pooling");
        DecoderSpec.positive("layers", layers);
        DecoderSpec.positive("embd", embd);
        DecoderSpec.positive("heads", heads);
        DecoderSpec.positive("ff", ff);
        DecoderSpec.positive("ctx", ctx);
        if (embd % heads != 0) {
            throw new IllegalArgumentException("heads " + heads + " must divide embd " + embd);
        }
        if (vocab < MIN_VOCAB) {
            throw new IllegalArgumentException("vocab must be at least " + MIN_VOCAB + ", got " + vocab);
        }
        if (type.blockSize() > 1 && (embd % type.blockSize() != 0 || ff % type.blockSize() != 0)) {
            throw new IllegalArgumentException(type + " needs embd and ff to be multiples of " + type.blockSize());
        }
    }

    /** A tiny embedding model: 2 layers, 64 wide, 4 heads, ff 128, 1024 tokens, ctx 512, Q8_0, mean pooling. */
    public static EncoderSpec tinyEmbedding() {
        return new EncoderSpec("tiny-bert-embed", 2, 64, 4, 128, 1024, 512, GgmlType.Q8_0, 42, Pooling.MEAN);
    }

    /** A tiny reranker: {@link #tinyEmbedding()} with rank pooling and a classification head. */
    public static EncoderSpec tinyReranker() {
        return tinyEmbedding().withName("tiny-bert-rerank").withPooling(Pooling.RANK);
    }

    /** Number of parameters the model will have. */
    public long parameterCount() {
        long perLayer = 4L * embd * embd + 4L * embd     // q, k, v, o with biases
                + 2L * embd * ff + ff + embd              // ffn with biases
                + 4L * embd;                              // two layer norms
        long n = (long) vocab * embd + 2L * embd + (long) ctx * embd + 2L * embd + layers * perLayer;
        if (pooling == Pooling.RANK) {
            n += (long) embd * embd + embd + embd + 1;
        }
        return n;
    }

    public EncoderSpec withName(String v) {
        return new EncoderSpec(v, layers, embd, heads, ff, vocab, ctx, type, seed, pooling);
    }

    public EncoderSpec withLayers(int v) {
        return new EncoderSpec(name, v, embd, heads, ff, vocab, ctx, type, seed, pooling);
    }

    public EncoderSpec withEmbd(int v) {
        return new EncoderSpec(name, layers, v, heads, ff, vocab, ctx, type, seed, pooling);
    }

    public EncoderSpec withHeads(int v) {
        return new EncoderSpec(name, layers, embd, v, ff, vocab, ctx, type, seed, pooling);
    }

    public EncoderSpec withFf(int v) {
        return new EncoderSpec(name, layers, embd, heads, v, vocab, ctx, type, seed, pooling);
    }

    public EncoderSpec withVocab(int v) {
        return new EncoderSpec(name, layers, embd, heads, ff, v, ctx, type, seed, pooling);
    }

    public EncoderSpec withCtx(int v) {
        return new EncoderSpec(name, layers, embd, heads, ff, vocab, v, type, seed, pooling);
    }

    public EncoderSpec withType(GgmlType v) {
        return new EncoderSpec(name, layers, embd, heads, ff, vocab, ctx, v, seed, pooling);
    }

    public EncoderSpec withSeed(long v) {
        return new EncoderSpec(name, layers, embd, heads, ff, vocab, ctx, type, v, pooling);
    }

    public EncoderSpec withPooling(Pooling v) {
        return new EncoderSpec(name, layers, embd, heads, ff, vocab, ctx, type, seed, v);
    }
}
