package io.llamabox.config;

import java.util.Optional;

/** The attention of an embedding context ({@code --attention}); unset, the model's own. */
public enum AttentionType {
    CAUSAL("causal"),
    NON_CAUSAL("non-causal");

    private final String label;

    AttentionType(String label) {
        this.label = label;
    }

    /** The spelling used on the command line. */
    public String label() {
        return label;
    }

    /** The constant whose label is {@code text}, if any. */
    public static Optional<AttentionType> fromLabel(String text) {
        return Labels.find(AttentionType.class, AttentionType::label, text);
    }

    /** Every label, comma-separated, for messages. */
    public static String labels() {
        return Labels.list(AttentionType.class, AttentionType::label);
    }
}
