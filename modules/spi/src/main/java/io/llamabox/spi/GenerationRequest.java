package io.llamabox.spi;

import java.util.List;
import java.util.Map;

/**
 * One text generation, ready for the scheduler: the prompt as tokens, when to stop, and what to
 * report. {@code maxTokens} below zero means "until the context is full or a stop". {@code slotId}
 * below zero lets the scheduler choose. {@code tokensPerSecond} of zero or less means unpaced.
 * {@code lora} maps LoRA adapter ids to the scales this request runs with (adapters it leaves out
 * are off); null runs with the engine's current scales.
 */
public record GenerationRequest(String requestId, int[] prompt, Sampling sampling, int maxTokens,
                                List<String> stop, boolean ignoreEos, int nProbs, int nKeep, boolean cachePrompt,
                                int slotId, double tokensPerSecond, boolean returnSpecial, Map<Integer, Float> lora) {
    public GenerationRequest {
        prompt = prompt.clone();
        stop = List.copyOf(stop);
        lora = lora == null ? null : Map.copyOf(lora);
    }

    /** A request that runs with the engine's current LoRA scales. */
    public GenerationRequest(String requestId, int[] prompt, Sampling sampling, int maxTokens, List<String> stop,
                             boolean ignoreEos, int nProbs, int nKeep, boolean cachePrompt, int slotId,
                             double tokensPerSecond, boolean returnSpecial) {
        this(requestId, prompt, sampling, maxTokens, stop, ignoreEos, nProbs, nKeep, cachePrompt, slotId,
                tokensPerSecond, returnSpecial, null);
    }
}
