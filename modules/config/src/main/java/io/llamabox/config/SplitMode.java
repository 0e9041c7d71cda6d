package io.llamabox.config;

import java.util.Optional;

/** How a model is split across several devices ({@code -sm, --split-mode}). */
public enum SplitMode {
    /** One device only. */
    NONE("none"),
    /** Layers and KV cache split across devices. */
    LAYER("layer"),
    /** Rows split across devices; intermediate results and KV cache on the main device. */
    ROW("row");

    private final String label;

    SplitMode(String label) {
        this.label = label;
    }

    /** The spelling used on the command line. */
    public String label() {
        return label;
    }

    /** The constant whose label is {@code text}, if any. */
    public static Optional<SplitMode> fromLabel(String text) {
        return Labels.find(SplitMode.class, SplitMode::label, text);
    }

    /** Every label, comma-separated, for messages. */
    public static String labels() {
        return Labels.list(SplitMode.class, SplitMode::label);
    }
}
