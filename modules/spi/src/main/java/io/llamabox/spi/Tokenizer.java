package io.llamabox.spi;

/** A loaded model's vocabulary: tokenization is safe from any thread. */
public interface Tokenizer {
    int[] tokenize(String text, boolean addSpecial, boolean parseSpecial);

    /** The text of the tokens; ids must be valid (see {@link #vocabularySize()}). */
    String detokenize(int[] tokens);

    /** A token's piece as text (special tokens rendered). */
    String piece(int token);

    int vocabularySize();
}
