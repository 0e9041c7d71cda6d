package io.llamabox.spi;

/**
 * A prompt with images, tokenized by the engine that will run it ({@link TextEngine#tokenize(String,
 * java.util.List)}). It holds the images' encoder input in native memory until it is closed; a
 * generation submitted with it keeps that alive until the generation ends, so the caller may close it
 * as soon as it has submitted.
 */
public interface MediaPrompt extends AutoCloseable {
    /**
     * The prompt as the engine schedules it, one entry per position: text token ids, and for each image
     * as many negative entries as it takes positions (they name the image, they are no token ids). It
     * is the {@link GenerationRequest#prompt()} of requests submitted with this prompt.
     */
    int[] tokens();

    /** The prompt tokens that usage reports: text tokens plus the embeddings of every image. */
    int promptTokens();

    /** How many images the prompt holds. */
    int images();

    /** Releases the caller's hold; repeated calls do nothing. */
    @Override
    void close();
}
