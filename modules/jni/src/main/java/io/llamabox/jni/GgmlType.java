package io.llamabox.jni;

import java.util.Locale;

/** The ggml tensor types a KV cache may use, with their {@code enum ggml_type} codes. */
public enum GgmlType {
    F32(0), F16(1), BF16(30), Q8_0(8), Q4_0(2), Q4_1(3), IQ4_NL(20), Q5_0(6), Q5_1(7);

    final int code;

    GgmlType(int code) {
        this.code = code;
    }

    /** Parses the command-line spelling ({@code f16}, {@code q8_0}, ...). */
    public static GgmlType parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown cache type " + name
                    + " (allowed: f32, f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1)");
        }
    }
}
