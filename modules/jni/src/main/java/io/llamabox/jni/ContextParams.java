package io.llamabox.jni;

/**
 * How a context is created. Zero for {@code nCtx} means the model's training context; zero or
 * negative RoPE/YaRN values mean "from the model" as in llama.cpp. {@code attention} of an embedding
 * context: UNSPECIFIED keeps what the model uses, the others force it.
 */
public record ContextParams(int nCtx, int nBatch, int nUbatch, int nSeqMax, int nThreads, int nThreadsBatch,
                            FlashAttention flashAttention, GgmlType typeK, GgmlType typeV, boolean embeddings,
                            PoolingType pooling, AttentionType attention, boolean offloadKqv, RopeScaling ropeScaling,
                            float ropeFreqBase, float ropeFreqScale, float yarnExtFactor, float yarnAttnFactor,
                            float yarnBetaFast, float yarnBetaSlow, int yarnOrigCtx, boolean kvUnified, boolean swaFull) {
    public ContextParams {
        if (nCtx < 0) {
            throw new IllegalArgumentException("n_ctx must not be negative");
        }
        if (nBatch < 1 || nUbatch < 1) {
            throw new IllegalArgumentException("batch sizes must be at least 1");
        }
        if (nSeqMax < 1) {
            throw new IllegalArgumentException("n_seq_max must be at least 1");
        }
        if (nThreads < 1 || nThreadsBatch < 1) {
            throw new IllegalArgumentException("thread counts must be at least 1");
        }
        if (flashAttention == null || typeK == null || typeV == null || pooling == null || attention == null
                || ropeScaling == null) {
            throw new IllegalArgumentException("context enums must not be null");
        }
    }

    /**
     * A text-generation context with llama.cpp's defaults for everything not named. Each sequence
     * gets its own share of the KV cache ({@code nCtx / nSeqMax}), as llama-box's slots do.
     */
    public static ContextParams text(int nCtx, int nBatch, int nSeqMax, int threads) {
        return new ContextParams(nCtx, nBatch, Math.min(nBatch, 512), nSeqMax, threads, threads,
                FlashAttention.AUTO, GgmlType.F16, GgmlType.F16, false, PoolingType.UNSPECIFIED, AttentionType.UNSPECIFIED, true,
                RopeScaling.UNSPECIFIED, 0, 0, -1, -1, -1, -1, 0, false, false);
    }

    /** An embedding context: embeddings on, non-causal as the model says, physical batch = logical batch. */
    public static ContextParams embedding(int nCtx, int nBatch, int nSeqMax, int threads, PoolingType pooling) {
        return new ContextParams(nCtx, nBatch, nBatch, nSeqMax, threads, threads, FlashAttention.AUTO,
                GgmlType.F16, GgmlType.F16, true, pooling, AttentionType.UNSPECIFIED, true, RopeScaling.UNSPECIFIED, 0, 0, -1, -1, -1,
                -1, 0, true, false);
    }

    public ContextParams withUbatch(int ubatch) {
        return new ContextParams(nCtx, nBatch, ubatch, nSeqMax, nThreads, nThreadsBatch, flashAttention, typeK,
                typeV, embeddings, pooling, attention, offloadKqv, ropeScaling, ropeFreqBase, ropeFreqScale,
                yarnExtFactor, yarnAttnFactor, yarnBetaFast, yarnBetaSlow, yarnOrigCtx, kvUnified, swaFull);
    }

    public ContextParams withCacheTypes(GgmlType k, GgmlType v, FlashAttention fa) {
        return new ContextParams(nCtx, nBatch, nUbatch, nSeqMax, nThreads, nThreadsBatch, fa, k, v, embeddings,
                pooling, attention, offloadKqv, ropeScaling, ropeFreqBase, ropeFreqScale, yarnExtFactor,
                yarnAttnFactor, yarnBetaFast, yarnBetaSlow, yarnOrigCtx, kvUnified, swaFull);
    }

    public ContextParams withThreads(int threads, int threadsBatch) {
        return new ContextParams(nCtx, nBatch, nUbatch, nSeqMax, threads, threadsBatch, flashAttention, typeK,
                typeV, embeddings, pooling, attention, offloadKqv, ropeScaling, ropeFreqBase, ropeFreqScale,
                yarnExtFactor, yarnAttnFactor, yarnBetaFast, yarnBetaSlow, yarnOrigCtx, kvUnified, swaFull);
    }

    public ContextParams withRope(RopeScaling scaling, float freqBase, float freqScale, float extFactor,
                                  float attnFactor, float betaFast, float betaSlow, int origCtx) {
        return new ContextParams(nCtx, nBatch, nUbatch, nSeqMax, nThreads, nThreadsBatch, flashAttention, typeK,
                typeV, embeddings, pooling, attention, offloadKqv, scaling, freqBase, freqScale, extFactor,
                attnFactor, betaFast, betaSlow, origCtx, kvUnified, swaFull);
    }

    public ContextParams withOffloadKqv(boolean offload) {
        return new ContextParams(nCtx, nBatch, nUbatch, nSeqMax, nThreads, nThreadsBatch, flashAttention, typeK,
                typeV, embeddings, pooling, attention, offload, ropeScaling, ropeFreqBase, ropeFreqScale,
                yarnExtFactor, yarnAttnFactor, yarnBetaFast, yarnBetaSlow, yarnOrigCtx, kvUnified, swaFull);
    }
}
