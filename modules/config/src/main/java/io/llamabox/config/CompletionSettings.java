package io.llamabox.config;

/**
 * How completions run in slots, and the defaults requests start from.
 *
 * @param predict tokens to predict: -1 without limit, -2 until the context is full ({@code -n})
 * @param keep prompt tokens kept when the context shifts, -1 all ({@code --keep})
 * @param special whether special tokens are output ({@code -sp})
 * @param spmInfill whether infill uses Suffix/Prefix/Middle order ({@code --spm-infill})
 * @param escape whether escape sequences are processed ({@code -e}/{@code --no-escape})
 * @param contextShift whether the context shifts on long generations ({@code --no-context-shift} turns it off)
 * @param cachePrompt whether prompts are cached in slots ({@code --no-cache-prompt} turns it off)
 * @param cacheReuse minimum chunk size reused from the cache through KV shifting, 0 off ({@code --cache-reuse})
 * @param slotPromptSimilarity how much a prompt must match a slot's to reuse that slot, 0 off ({@code -sps})
 * @param cacheRamMiB memory for the states of prompts that slots gave up, in MiB, 0 off ({@code --cache-ram};
 *                    an extension of llama.cpp's server, not in the C++ llama-box)
 */
public record CompletionSettings(int predict, int keep, boolean special, boolean spmInfill, boolean escape,
        boolean contextShift, boolean cachePrompt, int cacheReuse, double slotPromptSimilarity, long cacheRamMiB) {
    public CompletionSettings {
        Invariants.atLeast("prompt memory (MiB)", cacheRamMiB, 0);
        Invariants.atLeast("tokens to predict", predict, -2);
        Invariants.atLeast("tokens to keep", keep, -1);
        Invariants.atLeast("cache reuse chunk size", cacheReuse, 0);
        Invariants.between("slot prompt similarity", slotPromptSimilarity, 0.0, 1.0);
    }
}
