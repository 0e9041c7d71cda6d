package io.llamabox.testkit.model;

/** Decoder architectures the generator writes. */
public enum DecoderArch {
    /** {@code llama}: RMS norm, SwiGLU, RoPE, no biases; SPM vocabulary with byte fallback. */
    LLAMA("llama"),
    /** {@code qwen2}: like llama plus q/k/v biases and NeoX RoPE; byte-level BPE vocabulary. */
    QWEN2("qwen2"),
    /**
     * {@code qwen2vl}: the text model of Qwen2-VL: qwen2's layout with multimodal RoPE (M-RoPE), its
     * rotary dimensions split into temporal, height and width sections ({@code rope.dimension_sections}).
     */
    QWEN2VL("qwen2vl"),
    /**
     * {@code gemma3}: llama's blocks with q/k norms and norms after attention and feed-forward, GELU, and
     * sliding-window attention of {@link #SLIDING_WINDOW} tokens (llama.cpp makes every sixth layer global,
     * so models of up to five layers attend through the window only); SPM vocabulary.
     */
    GEMMA3("gemma3");

    /** The attention window of {@link #GEMMA3} models, in tokens. */
    public static final int SLIDING_WINDOW = 32;

    private final String ggufName;

    DecoderArch(String ggufName) {
        this.ggufName = ggufName;
    }

    /** The value of {@code general.architecture}. */
    public String ggufName() {
        return ggufName;
    }

    /** Whether the architecture has qwen2's layout (q/k/v biases, byte-level BPE vocabulary). */
    public boolean qwen() {
        return this == QWEN2 || this == QWEN2VL;
    }

    /** Parses {@code llama}, {@code qwen2}, {@code qwen2vl} or {@code gemma3}. */
    public static DecoderArch parse(String s) {
        for (DecoderArch a : values()) {
            if (a.ggufName.equalsIgnoreCase(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown decoder architecture " + s + " (llama, qwen2, qwen2vl, gemma3)");
    }
}
