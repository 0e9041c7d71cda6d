package io.llamabox.config;

import java.util.Optional;

/** How token embeddings are pooled into one vector ({@code --pooling}). */
public enum PoolingType {
    NONE("none"),
    MEAN("mean"),
    CLS("cls"),
    LAST("last"),
    /** Reranker scoring. */
    RANK("rank");

    private final String label;

    PoolingType(String label) {
        this.label = label;
    }

    /** The spelling used on the command line. */
    public String label() {
        return label;
    }

    /** The constant whose label is {@code text}, if any. */
    public static Optional<PoolingType> fromLabel(String text) {
        return Labels.find(PoolingType.class, PoolingType::label, text);
    }

    /** Every label, comma-separated, for messages. */
    public static String labels() {
        return Labels.list(PoolingType.class, PoolingType::label);
    }
}
