package io.llamabox.testkit.model;

import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * A tokenizer vocabulary as GGUF stores it.
 *
 * @param model      {@code tokenizer.ggml.model}: {@code llama} (SPM), {@code gpt2} (BPE) or {@code bert} (WordPiece)
 * @param pre        {@code tokenizer.ggml.pre}
 * @param tokens     token texts, by id
 * @param scores     token scores, by id
 * @param types      token types, by id
 * @param merges     BPE merges in rank order (empty for the other models)
 * @param suppressed tokens a generated decoder never predicts greedily (its output row is zero):
 *                   control tokens and bytes that are not printable ASCII, tab or newline
 */
public record Vocabulary(String model, String pre, List<String> tokens, float[] scores, TokenType[] types,
                         List<String> merges, BitSet suppressed) {

    public Vocabulary {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(pre, "pre");
        tokens = List.copyOf(tokens);
        merges = List.copyOf(merges);
        scores = scores.clone();
        types = types.clone();
        suppressed = (BitSet) suppressed.clone();
        if (scores.length != tokens.size() || types.length != tokens.size()) {
            throw new IllegalArgumentException("tokens, scores and types differ in length");
        }
    }

    public int size() {
        return tokens.size();
    }

    /** The id of the token with exactly this text, or -1 (a linear search). */
    public int id(String text) {
        return tokens.indexOf(text);
    }

    @Override
    public float[] scores() {
        return scores.clone();
    }

    @Override
    public TokenType[] types() {
        return types.clone();
    }

    @Override
    public BitSet suppressed() {
        return (BitSet) suppressed.clone();
    }

    /** Whether greedy decoding never picks this token. */
    public boolean isSuppressed(int id) {
        return suppressed.get(id);
    }

    /** The token types as llama.cpp's ints. */
    public int[] typeIds() {
        int[] ids = new int[types.length];
        for (int i = 0; i < types.length; i++) {
            ids[i] = types[i].id();
        }
        return ids;
    }
}
