package io.llamabox.spi;

import java.util.List;
import java.util.Map;

/**
 * The sampling parameters of one request, already validated. {@code samplers} names the chain's
 * order with llama.cpp's names ({@code penalties, dry, top_n_sigma, top_k, typ_p, top_p, min_p, xtc,
 * temperature}). {@code topNSigma} at or below 0 leaves top-n-sigma out.
 */
public record Sampling(long seed, List<String> samplers, float temperature, float dynatempRange,
                       float dynatempExponent, int topK, float topP, float minP, float typicalP,
                       float xtcProbability, float xtcThreshold, int repeatLastN, float repeatPenalty,
                       float frequencyPenalty, float presencePenalty, float dryMultiplier, float dryBase,
                       int dryAllowedLength, int dryPenaltyLastN, List<String> drySequenceBreakers, int mirostat,
                       float mirostatTau, float mirostatEta, Map<Integer, Float> logitBias, String grammar,
                       boolean grammarLazy, List<String> grammarTriggerPatterns, List<Integer> grammarTriggerTokens,
                       int minKeep, float topNSigma) {
    public Sampling {
        samplers = List.copyOf(samplers);
        drySequenceBreakers = List.copyOf(drySequenceBreakers);
        logitBias = Map.copyOf(logitBias);
        grammarTriggerPatterns = List.copyOf(grammarTriggerPatterns);
        grammarTriggerTokens = List.copyOf(grammarTriggerTokens);
    }

    public boolean greedy() {
        return temperature <= 0 && mirostat == 0;
    }
}
