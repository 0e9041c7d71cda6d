package io.llamabox.config;

import java.util.Optional;

/** NUMA optimisation ({@code --numa}); {@link #DISABLED} unless the flag is given. */
public enum NumaStrategy {
    DISABLED("disabled"),
    /** Spread execution evenly over all nodes. */
    DISTRIBUTE("distribute"),
    /** Only spawn threads on CPUs of the node that execution started on. */
    ISOLATE("isolate"),
    /** Use the CPU map provided by numactl. */
    NUMACTL("numactl");

    private final String label;

    NumaStrategy(String label) {
        this.label = label;
    }

    /** The spelling used on the command line. */
    public String label() {
        return label;
    }

    /** The constant whose label is {@code text}, if any. */
    public static Optional<NumaStrategy> fromLabel(String text) {
        return Labels.find(NumaStrategy.class, NumaStrategy::label, text);
    }
}
