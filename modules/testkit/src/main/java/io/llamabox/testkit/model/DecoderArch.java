package io.llamabox.testkit.model;

/** Decoder architectures the generator writes. */
public enum DecoderArch {
    /** {@code llama}: RMS norm, SwiGLU, RoPE, no biases; SPM vocabulary with byte fallback. */
    LLAMA("llama"),
    /** {@code qwen2}: like llama plus q/k/v biases and NeoX RoPE; byte-level BPE vocabulary. */
    QWEN2("qwen2");

    private final String ggufName;

    DecoderArch(String ggufName) {
        this.ggufName = ggufName;
    }

    /** The value of {@code general.architecture}. */
    public String ggufName() {
        return ggufName;
    }

    /** Parses {@code llama} or {@code qwen2}. */
    public static DecoderArch parse(String s) {
        for (DecoderArch a : values()) {
            if (a.ggufName.equalsIgnoreCase(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown decoder architecture " + s + " (llama, qwen2)");
    }
}
