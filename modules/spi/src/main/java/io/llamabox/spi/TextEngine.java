package io.llamabox.spi;

import java.util.List;

/**
 * A loaded text model with its scheduler. Tokenization may be called from any thread; generations
 * are queued and run by the engine's own thread.
 */
public interface TextEngine extends AutoCloseable {
    ModelDescription model();

    int[] tokenize(String text, boolean addSpecial, boolean parseSpecial);

    /** The text of the tokens; ids must be valid (see {@link #vocabularySize()}). */
    String detokenize(int[] tokens);

    /** A token's piece as text (special tokens rendered). */
    String piece(int token);

    int vocabularySize();

    /** Whether the token ends generation (EOS, EOT...). */
    boolean isEndOfGeneration(int token);

    /** Queues a generation; the listener hears its output. Throws {@link EngineException} if invalid. */
    TaskHandle submit(GenerationRequest request, GenerationListener listener);

    List<SlotInfo> slots();

    EngineMetrics metrics();

    @Override
    void close();
}
