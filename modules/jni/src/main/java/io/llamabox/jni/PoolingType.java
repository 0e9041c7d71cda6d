package io.llamabox.jni;

/** How embeddings are pooled per sequence ({@code enum llama_pooling_type}); UNSPECIFIED = the model's. */
public enum PoolingType {
    UNSPECIFIED(-1), NONE(0), MEAN(1), CLS(2), LAST(3), RANK(4);

    final int code;

    PoolingType(int code) {
        this.code = code;
    }

    static PoolingType of(int code) {
        for (PoolingType p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        return UNSPECIFIED;
    }
}
