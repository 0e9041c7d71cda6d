package io.llamabox.jni;

/** RoPE scaling methods ({@code enum llama_rope_scaling_type}); UNSPECIFIED = the model's. */
public enum RopeScaling {
    UNSPECIFIED(-1), NONE(0), LINEAR(1), YARN(2);

    final int code;

    RopeScaling(int code) {
        this.code = code;
    }
}
