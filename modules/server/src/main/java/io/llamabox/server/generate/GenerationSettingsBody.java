package io.llamabox.server.generate;

import io.llamabox.server.ServerConfig;
import io.llamabox.spi.GenerationRequest;
import io.llamabox.spi.Sampling;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Generation settings as llama.cpp's server reports them ({@code /props}, {@code /completion}). */
public record GenerationSettingsBody(int nPredict, long seed, float temperature, float dynatempRange,
                                     float dynatempExponent, int topK, float topP, float minP, float typicalP,
                                     float xtcProbability, float xtcThreshold, int repeatLastN, float repeatPenalty,
                                     float presencePenalty, float frequencyPenalty, float dryMultiplier,
                                     float dryBase, int dryAllowedLength, int dryPenaltyLastN,
                                     List<String> drySequenceBreakers, int mirostat, float mirostatTau,
                                     float mirostatEta, List<String> stop, boolean ignoreEos, int nKeep, int nProbs,
                                     int minKeep, String grammar, List<String> samplers,
                                     List<List<Object>> logitBias, boolean cachePrompt) {

    public static GenerationSettingsBody of(GenerationRequest r) {
        return of(r.sampling(), r.maxTokens(), r.stop(), r.ignoreEos(), r.nKeep(), r.nProbs(), r.cachePrompt());
    }

    /** What a request that sets nothing gets. */
    public static GenerationSettingsBody defaults(ServerConfig c) {
        return of(c.sampling(), c.nPredict(), List.of(), false, c.nKeep(), 0, c.cachePrompt());
    }

    private static GenerationSettingsBody of(Sampling s, int nPredict, List<String> stop, boolean ignoreEos, int nKeep,
                                             int nProbs, boolean cachePrompt) {
        List<List<Object>> bias = new ArrayList<>();
        for (Map.Entry<Integer, Float> e : s.logitBias().entrySet()) {
            Object value = e.getValue().isInfinite() && e.getValue() < 0 ? Boolean.FALSE : e.getValue();
            bias.add(List.of(e.getKey(), value));
        }
        return new GenerationSettingsBody(nPredict, s.seed(), s.temperature(), s.dynatempRange(),
                s.dynatempExponent(), s.topK(), s.topP(), s.minP(), s.typicalP(), s.xtcProbability(),
                s.xtcThreshold(), s.repeatLastN(), s.repeatPenalty(), s.presencePenalty(), s.frequencyPenalty(),
                s.dryMultiplier(), s.dryBase(), s.dryAllowedLength(), s.dryPenaltyLastN(), s.drySequenceBreakers(),
                s.mirostat(), s.mirostatTau(), s.mirostatEta(), stop, ignoreEos, nKeep, nProbs, s.minKeep(),
                s.grammar(), s.samplers(), bias, cachePrompt);
    }
}
