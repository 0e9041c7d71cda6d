package io.llamabox.spi;

import java.util.List;

/**
 * One text generation, ready for the scheduler: the prompt as tokens, when to stop, and what to
 * report. {@code maxTokens} below zero means "until the context is full or a stop". {@code slotId}
 * below zero lets the scheduler choose. {@code tokensPerSecond} of zero or less means unpaced.
 */
public record GenerationRequest(String requestId, int[] prompt, Sampling sampling, int maxTokens,
                                List<String> stop, boolean ignoreEos, int nProbs, int nKeep, boolean cachePrompt,
                                int slotId, double tokensPerSecond, boolean returnSpecial) {
    public GenerationRequest {
        prompt = prompt.clone();
        stop = List.copyOf(stop);
    }
}
