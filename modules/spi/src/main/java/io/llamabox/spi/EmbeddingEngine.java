package io.llamabox.spi;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A model loaded for embeddings or reranking. Inputs of all callers share the engine's slots: one
 * batch holds as many sequences as fit.
 */
public interface EmbeddingEngine extends AutoCloseable {
    ModelDescription model();

    int[] tokenize(String text, boolean addSpecial, boolean parseSpecial);

    int vocabularySize();

    /** Whether the model scores pairs (rank pooling with a classifier head). */
    boolean ranks();

    /** The largest number of tokens one input may have. */
    int maxInputTokens();

    /**
     * Pooled, unnormalized vectors, one per input, in order (for a ranking model: its scores). Throws
     * {@link EngineException} for an invalid input.
     */
    CompletableFuture<List<float[]>> embed(String requestId, List<int[]> inputs);

    @Override
    void close();
}
