package io.llamabox.config;

import java.util.Optional;

/**
 * The llama context: sizes, batching and KV cache.
 *
 * @param size context size in tokens shared by all slots, 0 for the model's training size ({@code -c})
 * @param batchSize logical batch size ({@code -b})
 * @param ubatchSize physical batch size ({@code -ub})
 * @param parallel number of slots, i.e. sequences decoded in parallel ({@code -np})
 * @param continuousBatching whether new requests join running batches ({@code -nocb} turns it off)
 * @param cacheTypeK KV cache type for K ({@code -ctk})
 * @param cacheTypeV KV cache type for V ({@code -ctv})
 * @param flashAttention when Flash Attention is used ({@code -fa}, {@code --no-flash-attn})
 * @param defragThreshold KV cache defragmentation threshold, negative disables ({@code -dt})
 * @param pooling embedding pooling; absent uses the model's ({@code --pooling})
 * @param swaFull whether sliding-window layers keep a full-size cache ({@code --swa-full})
 * @param kvUnified whether all slots share one KV buffer instead of a stream each ({@code -kvu})
 * @param attention the attention of embeddings; absent uses the model's ({@code --attention})
 */
public record ContextSettings(int size, int batchSize, int ubatchSize, int parallel, boolean continuousBatching,
        CacheType cacheTypeK, CacheType cacheTypeV, FlashAttentionMode flashAttention, double defragThreshold,
        Optional<PoolingType> pooling, boolean swaFull, boolean kvUnified, Optional<AttentionType> attention) {
    public ContextSettings {
        Invariants.atLeast("context size", size, 0);
        Invariants.atLeast("batch size", batchSize, 1);
        Invariants.atLeast("micro-batch size", ubatchSize, 1);
        Invariants.atLeast("parallel slot count", parallel, 1);
        Invariants.present("K cache type", cacheTypeK);
        Invariants.present("V cache type", cacheTypeV);
        Invariants.finite("defragmentation threshold", defragThreshold);
        Invariants.present("flash attention", flashAttention);
        Invariants.optional("pooling", pooling);
        Invariants.optional("attention", attention);
    }
}
