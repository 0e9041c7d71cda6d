package io.llamabox.spi;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A model loaded for embeddings or reranking. Inputs of all callers share the engine's slots: one
 * batch holds as many sequences as fit.
 */
public interface EmbeddingEngine extends Tokenizer, AutoCloseable {
    ModelDescription model();

    /** Whether the model scores pairs (rank pooling with a classifier head). */
    boolean ranks();

    /** The largest number of tokens one input may have. */
    int maxInputTokens();

    /**
     * Pooled, unnormalized vectors, one per input, in order (for a ranking model: its scores). Throws
     * {@link EngineException} for an invalid input, or when the pooling gives no vector per input.
     */
    CompletableFuture<List<float[]>> embed(String requestId, List<int[]> inputs);

    /**
     * The tokens of one (query, document) pair as the ranking model reads them: the model's own
     * {@code rerank} template when it has one, otherwise its special tokens around and between the two.
     */
    int[] rankingPair(String query, String document);

    /**
     * The pair of the query and the vocabulary's unknown token: the least relevant document there is,
     * the lower anchor of normalized scores.
     */
    int[] rankingFloor(String query);

    /** Counters of the work done, for {@code /metrics}. */
    EngineMetrics metrics();

    @Override
    void close();
}
