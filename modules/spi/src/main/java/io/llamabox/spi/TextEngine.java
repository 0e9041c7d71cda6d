package io.llamabox.spi;

import java.util.List;
import java.util.Map;

/**
 * A loaded text model with its scheduler. Tokenization may be called from any thread; generations
 * are queued and run by the engine's own thread.
 */
public interface TextEngine extends Tokenizer, AutoCloseable {
    ModelDescription model();

    /** Whether the token ends generation (EOS, EOT...). */
    boolean isEndOfGeneration(int token);

    /** Queues a generation; the listener hears its output. Throws {@link EngineException} if invalid. */
    TaskHandle submit(GenerationRequest request, GenerationListener listener);

    /** Whether prompts may carry images (a vision projector was loaded with {@code --mmproj}). */
    default boolean acceptsImages() {
        return false;
    }

    /** The text that stands for one image in the text given to {@link #tokenize(String, List)}. */
    default String imageMarker() {
        throw noImages();
    }

    /**
     * Tokenizes a rendered prompt whose text holds one {@link #imageMarker()} per image, in order.
     * Throws {@link EngineException} (invalid request) for an image that cannot be decoded or is too
     * large ("Invalid image"), and when this engine takes no images. The caller closes the result.
     */
    default MediaPrompt tokenize(String text, List<PromptImage> images) {
        throw noImages();
    }

    /**
     * Queues a generation whose prompt holds images; {@code request.prompt()} must be
     * {@code media.tokens()}. A null {@code media} is {@link #submit(GenerationRequest, GenerationListener)}.
     */
    default TaskHandle submit(GenerationRequest request, MediaPrompt media, GenerationListener listener) {
        if (media == null) {
            return submit(request, listener);
        }
        throw noImages();
    }

    private static EngineException noImages() {
        return new EngineException(EngineException.Kind.INVALID_REQUEST,
                "this model takes no images: start the server with --mmproj to chat about images");
    }

    List<SlotInfo> slots();

    EngineMetrics metrics();

    /**
     * The prompt of a fill-in-the-middle request laid out with the model's FIM tokens, cut to fit like
     * llama.cpp's server does. Throws {@link EngineException} (invalid request) when the model has no FIM tokens.
     */
    default int[] infillPrompt(InfillParts parts) {
        throw new EngineException(EngineException.Kind.INVALID_REQUEST, "this engine cannot fill in the middle");
    }

    /** The LoRA adapters loaded with the model, with the scales new requests run with. */
    default List<LoraAdapterInfo> loraAdapters() {
        return List.of();
    }

    /**
     * Sets the scales new requests run with: the listed adapters get theirs, the others 0 (off).
     * Throws {@link EngineException} (invalid request) for an id that does not exist or a scale that is not finite.
     */
    default void setLoraScales(Map<Integer, Float> scales) {
        throw new EngineException(EngineException.Kind.INVALID_REQUEST, "no LoRA adapters are loaded");
    }

    @Override
    void close();
}
