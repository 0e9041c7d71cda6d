package io.llamabox.config;

import java.util.BitSet;
import java.util.Locale;

/**
 * A CPU affinity mask ({@code -C, --cpu-mask}): hexadecimal digits, the last digit covering CPUs 0 to 3.
 * Stored in lower case without the optional {@code 0x} prefix.
 */
public record CpuMask(String hex) {
    /** The most CPUs a mask may address (ggml's thread limit). */
    public static final int MAX_CPUS = 512;

    public CpuMask {
        Invariants.present("CPU mask", hex);
        String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
            throw new IllegalArgumentException("CPU mask must be hexadecimal digits, got '" + hex + "'");
        }
        if (digits.length() > MAX_CPUS / 4) {
            throw new IllegalArgumentException("CPU mask may cover at most " + MAX_CPUS + " CPUs ("
                    + MAX_CPUS / 4 + " hex digits), got " + digits.length() + " digits");
        }
        hex = digits.toLowerCase(Locale.ROOT);
    }

    /** The CPUs the mask selects. */
    public BitSet cpus() {
        BitSet cpus = new BitSet();
        for (int i = 0; i < hex.length(); i++) {
            int nibble = Character.digit(hex.charAt(hex.length() - 1 - i), 16);
            for (int bit = 0; bit < 4; bit++) {
                if ((nibble & (1 << bit)) != 0) {
                    cpus.set(i * 4 + bit);
                }
            }
        }
        return cpus;
    }
}
