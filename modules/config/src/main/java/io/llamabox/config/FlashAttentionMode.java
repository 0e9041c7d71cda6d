package io.llamabox.config;

/**
 * When Flash Attention is used: {@code -fa} turns it on, {@code --no-flash-attn} off; given neither,
 * llama.cpp decides per model and device.
 */
public enum FlashAttentionMode {
    AUTO, ON, OFF
}
