package io.llamabox.jni;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A llama.cpp sampler chain built from {@link SamplerParams}. {@link #sample} picks a token from a
 * batch index of the context's last decode and accepts it into the chain's state (penalties,
 * grammar, mirostat). A grammar that leaves no candidate makes {@link #sample} throw.
 */
public final class Sampler extends NativeHandle {
    private final Model model;

    private Sampler(Model model, long pointer) {
        super("sampler", pointer);
        this.model = model;
    }

    public static Sampler create(Model model, SamplerParams p) {
        Vocab vocab = model.vocab();
        int[] biasTokens = new int[p.logitBias().size()];
        float[] biasValues = new float[biasTokens.length];
        int i = 0;
        for (Map.Entry<Integer, Float> e : p.logitBias().entrySet()) {
            vocab.check(e.getKey());
            biasTokens[i] = e.getKey();
            biasValues[i++] = e.getValue();
        }
        for (int t : p.triggerTokens()) {
            vocab.check(t);
        }
        int[] order = p.order().stream().mapToInt(Enum::ordinal).toArray();
        List<String> breakers = new ArrayList<>(p.drySequenceBreakers());
        boolean hasGrammar = p.grammar() != null && !p.grammar().isBlank();
        NativeLog.startCapture();
        long ptr;
        String why;
        try {
            ptr = Natives.samplerChain(model.pointer(), p.seed(), order, p.temperature(), p.dynatempRange(),
                    p.dynatempExponent(), p.topK(), p.topP(), p.minP(), p.typicalP(), p.xtcProbability(),
                    p.xtcThreshold(), p.topNSigma(), p.penaltyLastN(), p.repeatPenalty(), p.frequencyPenalty(),
                    p.presencePenalty(), p.dryMultiplier(), p.dryBase(), p.dryAllowedLength(), p.dryPenaltyLastN(),
                    Text.utf8All(breakers), p.mirostat(), p.mirostatTau(), p.mirostatEta(), biasTokens, biasValues,
                    hasGrammar ? Text.utf8(p.grammar()) : null, Text.utf8(p.grammarRoot()), p.grammarLazy(),
                    Text.utf8All(p.triggerPatterns()), p.triggerTokens().stream().mapToInt(Integer::intValue).toArray(),
                    p.minKeep());
        } finally {
            why = NativeLog.stopCapture();
        }
        if (ptr == 0) {
            throw new IllegalArgumentException(hasGrammar ? "invalid grammar" + (why.isEmpty() ? "" : ": " + why)
                    : "invalid sampler parameters" + (why.isEmpty() ? "" : ": " + why));
        }
        return new Sampler(model, ptr);
    }

    /** Whether llama.cpp accepts a GBNF grammar for this model's vocabulary. */
    public static String grammarError(Model model, String grammar, String root) {
        NativeLog.startCapture();
        boolean ok;
        String why;
        try {
            ok = Natives.grammarValid(model.pointer(), Text.utf8(grammar), Text.utf8(root == null ? "root" : root));
        } finally {
            why = NativeLog.stopCapture();
        }
        return ok ? null : (why.isEmpty() ? "invalid grammar" : why);
    }

    /** Samples at a batch index of the context's last decode and accepts the token. */
    public int sample(Context ctx, int index) {
        if (ctx.model() != model) {
            throw new IllegalArgumentException("sampler and context belong to different models");
        }
        ctx.checkSampleIndex(index);
        int token = Natives.samplerSample(pointer(), ctx.pointer(), index);
        if (token < 0) {
            throw new LlamaException("no token can be sampled (the grammar rejects every candidate)");
        }
        return token;
    }

    /** Feeds a token into the chain's state without sampling (prompt or accepted draft tokens). */
    public void accept(int token) {
        model.vocab().check(token);
        Natives.samplerAccept(pointer(), token);
    }

    public void reset() {
        Natives.samplerReset(pointer());
    }

    /** An independent copy with the same state. */
    public Sampler copy() {
        return new Sampler(model, Natives.samplerClone(pointer()));
    }

    @Override
    void free(long pointer) {
        Natives.samplerFree(pointer);
    }
}
