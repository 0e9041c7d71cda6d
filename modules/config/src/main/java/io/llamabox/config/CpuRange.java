package io.llamabox.config;

import java.util.BitSet;

/** CPUs {@code first} to {@code last}, both inclusive ({@code -Cr, --cpu-range lo-hi}). */
public record CpuRange(int first, int last) {
    public CpuRange {
        Invariants.between("CPU range start", first, 0, CpuMask.MAX_CPUS - 1);
        Invariants.between("CPU range end", last, 0, CpuMask.MAX_CPUS - 1);
        if (last < first) {
            throw new IllegalArgumentException("CPU range end (" + last + ") is before its start (" + first + ")");
        }
    }

    /** The CPUs the range selects. */
    public BitSet cpus() {
        BitSet cpus = new BitSet();
        cpus.set(first, last + 1);
        return cpus;
    }
}
