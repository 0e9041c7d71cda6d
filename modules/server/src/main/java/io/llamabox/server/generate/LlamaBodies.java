package io.llamabox.server.generate;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The bodies of llama.cpp's {@code /completion}. */
public final class LlamaBodies {
    private LlamaBodies() {
    }

    /** A finished completion; also the last event of a stream (with empty content). */
    public record Completion(int index, String content, int idSlot, boolean stop, String model, int tokensPredicted,
                             int tokensEvaluated, GenerationSettingsBody generationSettings, String prompt,
                             boolean hasNewLine, String stopType, String stoppingWord, int tokensCached,
                             TimingsBody timings,
                             @JsonInclude(JsonInclude.Include.NON_NULL)
                             List<Logprobs.Llama> completionProbabilities) {
    }

    /** A streamed piece of text. */
    public record Chunk(int index, String content, boolean stop, int idSlot,
                        @JsonInclude(JsonInclude.Include.NON_NULL)
                        List<Logprobs.Llama> completionProbabilities) {
    }
}
