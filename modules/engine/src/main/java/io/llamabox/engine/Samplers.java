package io.llamabox.engine;

import io.llamabox.jni.SamplerKind;
import io.llamabox.jni.SamplerParams;
import io.llamabox.spi.Sampling;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Translates a request's {@link Sampling} into llama.cpp sampler-chain parameters. */
final class Samplers {
    private Samplers() {
    }

    static SamplerParams params(Sampling s, int slotContext) {
        List<SamplerKind> order = new ArrayList<>();
        for (String name : s.samplers()) {
            order.add(kind(name));
        }
        // a top-n-sigma value asks for the sampler: where the chain does not name it, it goes where llama.cpp's
        // default chain has it, before the truncating samplers
        if (s.topNSigma() > 0 && !order.contains(SamplerKind.TOP_N_SIGMA)) {
            int at = 0;
            while (at < order.size() && (order.get(at) == SamplerKind.PENALTIES || order.get(at) == SamplerKind.DRY)) {
                at++;
            }
            order.add(at, SamplerKind.TOP_N_SIGMA);
        }
        int seed = s.seed() < 0 ? SamplerParams.RANDOM_SEED : (int) (s.seed() & 0xFFFFFFFFL);
        int lastN = s.repeatLastN() == -1 ? slotContext : s.repeatLastN();
        int dryLastN = s.dryPenaltyLastN() == -1 ? slotContext : s.dryPenaltyLastN();
        return new SamplerParams(seed, order, s.temperature(), s.dynatempRange(), s.dynatempExponent(), s.topK(),
                s.topP(), s.minP(), s.typicalP(), s.xtcProbability(), s.xtcThreshold(), s.topNSigma(), lastN,
                s.repeatPenalty(), s.frequencyPenalty(), s.presencePenalty(), s.dryMultiplier(), s.dryBase(),
                s.dryAllowedLength(), dryLastN, s.drySequenceBreakers(), s.mirostat(), s.mirostatTau(),
                s.mirostatEta(), s.logitBias(), s.grammar(), "root", s.grammarLazy(), s.grammarTriggerPatterns(),
                s.grammarTriggerTokens(), s.minKeep());
    }

    /** llama.cpp's sampler names (and the spellings its server also accepts). */
    static SamplerKind kind(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "penalties" -> SamplerKind.PENALTIES;
            case "dry" -> SamplerKind.DRY;
            case "top_k" -> SamplerKind.TOP_K;
            case "typ_p", "typical_p", "typical" -> SamplerKind.TYPICAL_P;
            case "top_p", "nucleus" -> SamplerKind.TOP_P;
            case "min_p" -> SamplerKind.MIN_P;
            case "xtc" -> SamplerKind.XTC;
            case "temperature", "temp" -> SamplerKind.TEMPERATURE;
            case "top_n_sigma" -> SamplerKind.TOP_N_SIGMA;
            default -> throw new IllegalArgumentException("unknown sampler: " + name);
        };
    }
}
