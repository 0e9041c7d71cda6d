package io.llamabox.spi;

/**
 * Token counts and timings of a finished generation. {@code cachedTokens} of the prompt were reused
 * from a slot's cache; the timings are in milliseconds.
 */
public record Usage(int promptTokens, int cachedTokens, int completionTokens, double promptMs, double predictedMs,
                    int draftTokens, int draftAcceptedTokens) {
    public double promptPerSecond() {
        int processed = promptTokens - cachedTokens;
        return promptMs > 0 ? processed * 1000.0 / promptMs : 0;
    }

    public double predictedPerSecond() {
        return predictedMs > 0 ? completionTokens * 1000.0 / predictedMs : 0;
    }
}
