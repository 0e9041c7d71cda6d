package io.llamabox.spi;

/**
 * Receives a generation's output, on the engine's thread: it must not block. Text comes in valid
 * UTF-8 pieces with stop strings already held back and cut. Exactly one of {@link #onComplete} or
 * {@link #onError} ends the stream.
 */
public interface GenerationListener {
    /** Called once when the request got a slot and its prompt is about to be processed. */
    default void onStart(int slotId, int promptTokens, int cachedTokens) {
    }

    /** New text; {@code probabilities} is null unless n_probs was asked for. */
    void onText(String text, java.util.List<TokenProbabilities> probabilities);

    void onComplete(FinishReason reason, String stopWord, Usage usage);

    void onError(EngineException error);
}
