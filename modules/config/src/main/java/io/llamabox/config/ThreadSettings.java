package io.llamabox.config;

import java.util.BitSet;
import java.util.Optional;

/**
 * CPU threads for one kind of work: generation ({@code -t}, {@code -C}, {@code -Cr}, {@code --cpu-strict},
 * {@code --prio}, {@code --poll}) or batch and prompt processing (the {@code -batch} variants).
 *
 * @param threads number of threads, -1 to let the engine decide
 * @param mask CPU affinity mask, if given
 * @param range CPU affinity range, if given; it complements the mask
 * @param strict whether threads are pinned strictly to the selected CPUs
 * @param priority process/thread priority
 * @param poll polling level 0 (no polling) to 100 while waiting for work
 */
public record ThreadSettings(int threads, Optional<CpuMask> mask, Optional<CpuRange> range, boolean strict,
        ThreadPriority priority, int poll) {
    public static final int DEFAULT_POLL = 50;

    public ThreadSettings {
        Invariants.automaticOrAtLeast("thread count", threads, 1);
        Invariants.optional("CPU mask", mask);
        Invariants.optional("CPU range", range);
        Invariants.present("thread priority", priority);
        Invariants.between("poll level", poll, 0, 100);
    }

    /** -1 threads, no affinity, not strict, normal priority, poll 50. */
    public static ThreadSettings defaults() {
        return new ThreadSettings(-1, Optional.empty(), Optional.empty(), false, ThreadPriority.NORMAL, DEFAULT_POLL);
    }

    /** The CPUs that the mask and range select together; empty when neither is given (any CPU). */
    public BitSet cpus() {
        BitSet cpus = new BitSet();
        mask.ifPresent(m -> cpus.or(m.cpus()));
        range.ifPresent(r -> cpus.or(r.cpus()));
        return cpus;
    }
}
