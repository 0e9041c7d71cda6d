package io.llamabox.config;

import java.util.List;

/**
 * DRY ("don't repeat yourself") sampling.
 *
 * @param multiplier strength, 0 off ({@code --dry-multiplier})
 * @param base base value ({@code --dry-base})
 * @param allowedLength repetitions up to this length are not penalised ({@code --dry-allowed-length})
 * @param penaltyLastN tokens scanned, 0 off, -1 the context size ({@code --dry-penalty-last-n})
 * @param sequenceBreakers strings that end a repeated sequence ({@code --dry-sequence-breaker})
 */
public record DrySampling(double multiplier, double base, int allowedLength, int penaltyLastN,
        List<String> sequenceBreakers) {
    /** The breakers used unless {@code --dry-sequence-breaker} is given: newline, colon, quote, asterisk. */
    public static final List<String> DEFAULT_SEQUENCE_BREAKERS = List.of("\n", ":", "\"", "*");

    public DrySampling {
        Invariants.atLeast("DRY multiplier", multiplier, 0.0);
        Invariants.atLeast("DRY base", base, 0.0);
        Invariants.atLeast("DRY allowed length", allowedLength, 0);
        Invariants.atLeast("DRY penalty last n", penaltyLastN, -1);
        sequenceBreakers = Invariants.elements("DRY sequence breakers", sequenceBreakers);
        for (String breaker : sequenceBreakers) {
            if (breaker.isEmpty()) {
                throw new IllegalArgumentException("a DRY sequence breaker must not be empty");
            }
        }
    }
}
