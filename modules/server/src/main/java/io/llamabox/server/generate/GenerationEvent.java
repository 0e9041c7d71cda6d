package io.llamabox.server.generate;

import io.llamabox.spi.EngineException;
import io.llamabox.spi.FinishReason;
import io.llamabox.spi.TokenProbabilities;
import io.llamabox.spi.Usage;
import java.util.List;

/** What the engine reported for one choice, queued for the HTTP thread. */
public sealed interface GenerationEvent {
    int index();

    record Started(int index, int slotId, int promptTokens, int cachedTokens) implements GenerationEvent {
    }

    record Text(int index, String text, List<TokenProbabilities> probabilities) implements GenerationEvent {
    }

    record Finished(int index, FinishReason reason, String stopWord, Usage usage) implements GenerationEvent {
    }

    record Failed(int index, EngineException error) implements GenerationEvent {
    }
}
