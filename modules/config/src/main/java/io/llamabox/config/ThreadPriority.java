package io.llamabox.config;

import java.util.Optional;

/** Process/thread priority ({@code --prio}, {@code --prio-batch}), numbered 0 to 3 on the command line. */
public enum ThreadPriority {
    NORMAL(0),
    MEDIUM(1),
    HIGH(2),
    REALTIME(3);

    private final int level;

    ThreadPriority(int level) {
        this.level = level;
    }

    /** The number used on the command line (ggml's {@code ggml_sched_priority}). */
    public int level() {
        return level;
    }

    /** The constant numbered {@code level}, if any. */
    public static Optional<ThreadPriority> fromLevel(int level) {
        for (ThreadPriority p : values()) {
            if (p.level == level) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
