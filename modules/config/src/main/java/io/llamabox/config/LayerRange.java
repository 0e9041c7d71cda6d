package io.llamabox.config;

/** Layers {@code start} to {@code end}, both inclusive; a start of 0 is the first layer, an end of 0 the last. */
public record LayerRange(int start, int end) {
    public LayerRange {
        Invariants.atLeast("layer range start", start, 0);
        if (end != 0 && end < start) {
            throw new IllegalArgumentException("layer range end (" + end + ") is before its start (" + start + ")");
        }
    }
}
