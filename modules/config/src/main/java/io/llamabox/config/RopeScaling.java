package io.llamabox.config;

import java.util.Optional;

/** RoPE frequency scaling method ({@code --rope-scaling}). */
public enum RopeScaling {
    NONE("none"),
    LINEAR("linear"),
    YARN("yarn");

    private final String label;

    RopeScaling(String label) {
        this.label = label;
    }

    /** The spelling used on the command line. */
    public String label() {
        return label;
    }

    /** The constant whose label is {@code text}, if any. */
    public static Optional<RopeScaling> fromLabel(String text) {
        return Labels.find(RopeScaling.class, RopeScaling::label, text);
    }

    /** Every label, comma-separated, for messages. */
    public static String labels() {
        return Labels.list(RopeScaling.class, RopeScaling::label);
    }
}
