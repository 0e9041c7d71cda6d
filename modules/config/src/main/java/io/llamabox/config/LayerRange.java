package io.llamabox.config;

/** Layers {@code start} to {@code end}, both inclusive. */
public record LayerRange(int start, int end) {
    public LayerRange {
        Invariants.atLeast("layer range start", start, 0);
        if (end < start) {
            throw new IllegalArgumentException("layer range end (" + end + ") is before its start (" + start + ")");
        }
    }
}
