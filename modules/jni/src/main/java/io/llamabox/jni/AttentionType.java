package io.llamabox.jni;

/** The attention of an embedding context ({@code enum llama_attention_type}); UNSPECIFIED = the model's. */
public enum AttentionType {
    UNSPECIFIED(-1), CAUSAL(0), NON_CAUSAL(1);

    final int code;

    AttentionType(int code) {
        this.code = code;
    }
}
