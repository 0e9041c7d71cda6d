package io.llamabox.config;

import java.util.Optional;

/** Data type of the KV cache ({@code -ctk}, {@code -ctv}). */
public enum CacheType {
    F32("f32"),
    F16("f16"),
    BF16("bf16"),
    Q8_0("q8_0"),
    Q4_0("q4_0"),
    Q4_1("q4_1"),
    IQ4_NL("iq4_nl"),
    Q5_0("q5_0"),
    Q5_1("q5_1");

    private final String label;

    CacheType(String label) {
        this.label = label;
    }

    /** The spelling used on the command line (also ggml's type name). */
    public String label() {
        return label;
    }

    /** The constant whose label is {@code text}, if any. */
    public static Optional<CacheType> fromLabel(String text) {
        return Labels.find(CacheType.class, CacheType::label, text);
    }

    /** Every label, comma-separated, for messages. */
    public static String labels() {
        return Labels.list(CacheType.class, CacheType::label);
    }
}
