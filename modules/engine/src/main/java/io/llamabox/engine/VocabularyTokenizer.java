package io.llamabox.engine;

import io.llamabox.jni.Vocab;
import io.llamabox.spi.Tokenizer;
import java.nio.charset.StandardCharsets;

/** The SPI's tokenizer, answered by a loaded model's vocabulary (the text and embedding engines share it). */
public interface VocabularyTokenizer extends Tokenizer {
    /** The vocabulary of the engine's model. */
    Vocab vocabulary();

    @Override
    default int[] tokenize(String text, boolean addSpecial, boolean parseSpecial) {
        return vocabulary().tokenize(text, addSpecial, parseSpecial);
    }

    @Override
    default String detokenize(int[] tokens) {
        return vocabulary().piecesText(tokens, true);
    }

    @Override
    default String piece(int token) {
        return new String(vocabulary().piece(token, true), StandardCharsets.UTF_8);
    }

    @Override
    default int vocabularySize() {
        return vocabulary().size();
    }
}
