package io.llamabox.config;

/**
 * A bias added to one token's logit ({@code -l, --logit-bias}); negative infinity bans the token.
 */
public record LogitBias(int token, double bias) {
    public LogitBias {
        Invariants.atLeast("logit bias token id", token, 0);
        if (Double.isNaN(bias)) {
            throw new IllegalArgumentException("logit bias must be a number");
        }
    }
}
