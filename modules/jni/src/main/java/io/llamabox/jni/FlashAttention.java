package io.llamabox.jni;

/** Flash attention use ({@code enum llama_flash_attn_type}). */
public enum FlashAttention {
    AUTO(-1), DISABLED(0), ENABLED(1);

    final int code;

    FlashAttention(int code) {
        this.code = code;
    }
}
