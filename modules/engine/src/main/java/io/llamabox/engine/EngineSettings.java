package io.llamabox.engine;

import io.llamabox.jni.ContextParams;
import io.llamabox.jni.ModelParams;
import java.nio.file.Path;

/**
 * How the text engine loads its model and schedules work. {@code nCtx} is the whole context,
 * shared evenly by {@code parallel} slots. {@code slotPromptSimilarity} is the share of a new
 * prompt that must match a slot's cached prompt for that slot to be preferred (0 = off).
 * {@code controlVectors} steer the text context (null: none). {@code promptMemoryBytes} is the native
 * memory for the states of prompts that slots gave up ({@code --cache-ram}, 0: none).
 */
public record EngineSettings(Path modelPath, String alias, ModelParams model, ContextParams context, int parallel,
                             boolean continuousBatching, boolean cachePrompt, int cacheReuse,
                             float slotPromptSimilarity, boolean contextShift, int defaultKeep,
                             boolean warmup, boolean renderSpecial, String chatTemplateOverride,
                             ControlVectors controlVectors, long promptMemoryBytes) {
    public EngineSettings {
        if (controlVectors == null) {
            controlVectors = ControlVectors.none();
        }
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1");
        }
        if (slotPromptSimilarity < 0 || slotPromptSimilarity > 1) {
            throw new IllegalArgumentException("slot prompt similarity must be in [0, 1]");
        }
        if (cacheReuse < 0) {
            throw new IllegalArgumentException("cache reuse must not be negative");
        }
        if (promptMemoryBytes < 0) {
            throw new IllegalArgumentException("prompt memory must not be negative");
        }
    }

    /** Without control vectors and prompt memory. */
    public EngineSettings(Path modelPath, String alias, ModelParams model, ContextParams context, int parallel,
                          boolean continuousBatching, boolean cachePrompt, int cacheReuse,
                          float slotPromptSimilarity, boolean contextShift, int defaultKeep,
                          boolean warmup, boolean renderSpecial, String chatTemplateOverride) {
        this(modelPath, alias, model, context, parallel, continuousBatching, cachePrompt, cacheReuse,
                slotPromptSimilarity, contextShift, defaultKeep, warmup, renderSpecial, chatTemplateOverride, null, 0);
    }
}
