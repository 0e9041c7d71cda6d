package io.llamabox.engine;

import io.llamabox.jni.ModelParams;
import java.nio.file.Path;

/**
 * Speculative decoding: a draft model ({@code -md}) or n-gram lookup in the slot's own history
 * ({@code --lookup-ngram-min}) proposes up to {@code draftMax} tokens per step; the target model
 * checks them all in the same batch. Proposals shorter than {@code draftMin} are not used, and a
 * draft model stops proposing once its best token is less likely than {@code draftPMin}. The lookup may
 * also use a static n-gram cache file ({@code -lcs}) and a dynamic one that generation grows ({@code -lcd});
 * either may be null.
 */
public record SpeculativeConfig(Path draftModel, ModelParams draftModelParams, int draftMax, int draftMin,
                                float draftPMin, int lookupNgramMin, Path lookupCacheStatic,
                                Path lookupCacheDynamic) {
    /** The longest n-gram the lookup matches (llama.cpp's LLAMA_NGRAM_MAX). */
    public static final int NGRAM_MAX = 4;

    public SpeculativeConfig {
        if (draftMax < 0 || draftMin < 0) {
            throw new IllegalArgumentException("draft sizes must not be negative");
        }
        if (draftPMin < 0 || draftPMin > 1) {
            throw new IllegalArgumentException("draft p-min must be in [0, 1]");
        }
        if (lookupNgramMin < 0 || lookupNgramMin > NGRAM_MAX) {
            throw new IllegalArgumentException("lookup n-gram min must be in [0, " + NGRAM_MAX + "]");
        }
        if (draftModel != null && draftModelParams == null) {
            throw new IllegalArgumentException("a draft model needs its load parameters");
        }
    }

    /** Without lookup cache files. */
    public SpeculativeConfig(Path draftModel, ModelParams draftModelParams, int draftMax, int draftMin,
                             float draftPMin, int lookupNgramMin) {
        this(draftModel, draftModelParams, draftMax, draftMin, draftPMin, lookupNgramMin, null, null);
    }

    /** No speculation. */
    public static SpeculativeConfig none() {
        return new SpeculativeConfig(null, null, 16, 5, 0.9f, 0);
    }

    public boolean enabled() {
        return draftMax > 0 && (draftModel != null || lookupNgramMin > 0);
    }
}
