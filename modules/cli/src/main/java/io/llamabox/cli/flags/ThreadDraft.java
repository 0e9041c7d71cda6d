package io.llamabox.cli.flags;

import io.llamabox.config.CpuMask;
import io.llamabox.config.CpuRange;
import io.llamabox.config.ThreadPriority;
import io.llamabox.config.ThreadSettings;
import java.util.Optional;

/** Thread flags as given; what is not given comes from a base (the defaults, or the generation threads). */
final class ThreadDraft {
    Integer threads;
    CpuMask mask;
    CpuRange range;
    Boolean strict;
    ThreadPriority priority;
    Integer poll;

    ThreadSettings resolve(ThreadSettings base) {
        // mask and range complement each other, so they are inherited together or not at all
        boolean ownAffinity = mask != null || range != null;
        return new ThreadSettings(threads != null ? threads : base.threads(),
                ownAffinity ? Optional.ofNullable(mask) : base.mask(),
                ownAffinity ? Optional.ofNullable(range) : base.range(),
                strict != null ? strict : base.strict(),
                priority != null ? priority : base.priority(),
                poll != null ? poll : base.poll());
    }
}
