package io.llamabox.jni;

import java.util.List;
import java.util.Map;

/**
 * A sampler chain's parameters, as llama.cpp's samplers define them. {@code temperature <= 0} with
 * no mirostat means greedy. {@code grammar} is GBNF (null or empty: none); with {@code grammarLazy}
 * it only applies after one of the trigger patterns or tokens appears.
 */
public record SamplerParams(int seed, List<SamplerKind> order, float temperature, float dynatempRange,
                            float dynatempExponent, int topK, float topP, float minP, float typicalP,
                            float xtcProbability, float xtcThreshold, float topNSigma, int penaltyLastN,
                            float repeatPenalty, float frequencyPenalty, float presencePenalty, float dryMultiplier,
                            float dryBase, int dryAllowedLength, int dryPenaltyLastN, List<String> drySequenceBreakers,
                            int mirostat, float mirostatTau, float mirostatEta, Map<Integer, Float> logitBias,
                            String grammar, String grammarRoot, boolean grammarLazy, List<String> triggerPatterns,
                            List<Integer> triggerTokens, int minKeep) {
    /** Seed value that asks for a random seed. */
    public static final int RANDOM_SEED = -1;

    public static final List<SamplerKind> DEFAULT_ORDER = List.of(SamplerKind.PENALTIES, SamplerKind.DRY,
            SamplerKind.TOP_K, SamplerKind.TYPICAL_P, SamplerKind.TOP_P, SamplerKind.MIN_P, SamplerKind.XTC,
            SamplerKind.TEMPERATURE);

    public SamplerParams {
        order = List.copyOf(order);
        drySequenceBreakers = List.copyOf(drySequenceBreakers);
        logitBias = Map.copyOf(logitBias);
        triggerPatterns = List.copyOf(triggerPatterns);
        triggerTokens = List.copyOf(triggerTokens);
        if (grammarRoot == null || grammarRoot.isEmpty()) {
            grammarRoot = "root";
        }
        check(Float.isFinite(temperature), "temperature must be finite");
        check(topK >= 0 || topK == -1, "top_k must not be negative");
        check(topP >= 0 && topP <= 1, "top_p must be in [0, 1]");
        check(minP >= 0 && minP <= 1, "min_p must be in [0, 1]");
        check(typicalP >= 0 && typicalP <= 1, "typical_p must be in [0, 1]");
        check(xtcProbability >= 0 && xtcProbability <= 1, "xtc_probability must be in [0, 1]");
        check(xtcThreshold >= 0 && xtcThreshold <= 1, "xtc_threshold must be in [0, 1]");
        check(penaltyLastN >= -1, "repeat_last_n must be at least -1");
        check(repeatPenalty > 0 && Float.isFinite(repeatPenalty), "repeat_penalty must be positive");
        check(Float.isFinite(frequencyPenalty) && Float.isFinite(presencePenalty), "penalties must be finite");
        check(dryMultiplier >= 0 && Float.isFinite(dryMultiplier), "dry_multiplier must not be negative");
        check(dryBase >= 1 && Float.isFinite(dryBase), "dry_base must be at least 1");
        check(dryAllowedLength >= 0, "dry_allowed_length must not be negative");
        check(dryPenaltyLastN >= -1, "dry_penalty_last_n must be at least -1");
        check(mirostat >= 0 && mirostat <= 2, "mirostat must be 0, 1 or 2");
        check(Float.isFinite(mirostatTau) && Float.isFinite(mirostatEta), "mirostat parameters must be finite");
        check(Float.isFinite(dynatempRange) && dynatempRange >= 0, "dynatemp_range must not be negative");
        check(Float.isFinite(dynatempExponent), "dynatemp_exponent must be finite");
        check(minKeep >= 0, "min_keep must not be negative");
        for (Float bias : logitBias.values()) {
            check(bias != null && !Float.isNaN(bias), "logit bias values must be numbers");
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** llama.cpp's defaults (the same as llama-box's command-line defaults). */
    public static SamplerParams defaults() {
        return new SamplerParams(RANDOM_SEED, DEFAULT_ORDER, 0.8f, 0f, 1f, 40, 0.9f, 0.1f, 1f, 0f, 0.1f, -1f,
                64, 1f, 0f, 0f, 0f, 1.75f, 2, -1, List.of("\n", ":", "\"", "*"), 0, 5f, 0.1f, Map.of(), null,
                "root", false, List.of(), List.of(), 0);
    }

    /** Greedy decoding: always the most likely token. */
    public static SamplerParams greedy() {
        return defaults().withTemperature(0f);
    }

    public SamplerParams withTemperature(float t) {
        return new SamplerParams(seed, order, t, dynatempRange, dynatempExponent, topK, topP, minP, typicalP,
                xtcProbability, xtcThreshold, topNSigma, penaltyLastN, repeatPenalty, frequencyPenalty,
                presencePenalty, dryMultiplier, dryBase, dryAllowedLength, dryPenaltyLastN, drySequenceBreakers,
                mirostat, mirostatTau, mirostatEta, logitBias, grammar, grammarRoot, grammarLazy, triggerPatterns,
                triggerTokens, minKeep);
    }

    public SamplerParams withSeed(int s) {
        return new SamplerParams(s, order, temperature, dynatempRange, dynatempExponent, topK, topP, minP, typicalP,
                xtcProbability, xtcThreshold, topNSigma, penaltyLastN, repeatPenalty, frequencyPenalty,
                presencePenalty, dryMultiplier, dryBase, dryAllowedLength, dryPenaltyLastN, drySequenceBreakers,
                mirostat, mirostatTau, mirostatEta, logitBias, grammar, grammarRoot, grammarLazy, triggerPatterns,
                triggerTokens, minKeep);
    }

    public SamplerParams withGrammar(String gbnf, boolean lazy, List<String> patterns, List<Integer> tokens) {
        return new SamplerParams(seed, order, temperature, dynatempRange, dynatempExponent, topK, topP, minP,
                typicalP, xtcProbability, xtcThreshold, topNSigma, penaltyLastN, repeatPenalty, frequencyPenalty,
                presencePenalty, dryMultiplier, dryBase, dryAllowedLength, dryPenaltyLastN, drySequenceBreakers,
                mirostat, mirostatTau, mirostatEta, logitBias, gbnf, grammarRoot, lazy, patterns, tokens, minKeep);
    }

    public SamplerParams withLogitBias(Map<Integer, Float> bias) {
        return new SamplerParams(seed, order, temperature, dynatempRange, dynatempExponent, topK, topP, minP,
                typicalP, xtcProbability, xtcThreshold, topNSigma, penaltyLastN, repeatPenalty, frequencyPenalty,
                presencePenalty, dryMultiplier, dryBase, dryAllowedLength, dryPenaltyLastN, drySequenceBreakers,
                mirostat, mirostatTau, mirostatEta, bias, grammar, grammarRoot, grammarLazy, triggerPatterns,
                triggerTokens, minKeep);
    }
}
