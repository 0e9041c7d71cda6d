package io.llamabox.config;

/**
 * Repetition penalties.
 *
 * @param lastN tokens considered, 0 off, -1 the context size ({@code --repeat-last-n})
 * @param repeat repeat penalty, 1 off ({@code --repeat-penalty})
 * @param presence presence penalty, 0 off ({@code --presence-penalty})
 * @param frequency frequency penalty, 0 off ({@code --frequency-penalty})
 */
public record RepetitionPenalties(int lastN, double repeat, double presence, double frequency) {
    public RepetitionPenalties {
        Invariants.atLeast("repeat last n", lastN, -1);
        Invariants.atLeast("repeat penalty", repeat, 0.0);
        Invariants.finite("presence penalty", presence);
        Invariants.finite("frequency penalty", frequency);
    }
}
