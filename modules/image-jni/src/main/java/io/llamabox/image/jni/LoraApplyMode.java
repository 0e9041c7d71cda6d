package io.llamabox.image.jni;

/** When stable-diffusion.cpp applies LoRA weights ({@code enum lora_apply_mode_t}, same order). */
public enum LoraApplyMode {
    /** Merged into the weights unless they are quantized or offloaded; then at runtime. */
    AUTO,
    /** Merged into the model's weights before sampling. */
    IMMEDIATELY,
    /** Applied in the graph at every step, leaving the weights as loaded. */
    AT_RUNTIME
}
