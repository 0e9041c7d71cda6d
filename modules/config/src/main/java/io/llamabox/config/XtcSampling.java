package io.llamabox.config;

/** XTC sampling: probability 0 disables ({@code --xtc-probability}, {@code --xtc-threshold}). */
public record XtcSampling(double probability, double threshold) {
    public XtcSampling {
        Invariants.between("XTC probability", probability, 0.0, 1.0);
        Invariants.between("XTC threshold", threshold, 0.0, 1.0);
    }
}
