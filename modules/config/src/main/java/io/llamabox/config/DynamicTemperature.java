package io.llamabox.config;

/** Dynamic temperature: {@code range} 0 disables ({@code --dynatemp-range}, {@code --dynatemp-exp}). */
public record DynamicTemperature(double range, double exponent) {
    public DynamicTemperature {
        Invariants.atLeast("dynamic temperature range", range, 0.0);
        Invariants.finite("dynamic temperature exponent", exponent);
    }
}
