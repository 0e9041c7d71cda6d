package io.llamabox.config;

/**
 * Mirostat sampling ({@code --mirostat}, {@code --mirostat-lr}, {@code --mirostat-ent}).
 *
 * @param mode which Mirostat, or disabled
 * @param learningRate learning rate, eta
 * @param targetEntropy target entropy, tau
 */
public record Mirostat(MirostatMode mode, double learningRate, double targetEntropy) {
    public Mirostat {
        Invariants.present("Mirostat mode", mode);
        Invariants.atLeast("Mirostat learning rate", learningRate, 0.0);
        Invariants.atLeast("Mirostat target entropy", targetEntropy, 0.0);
    }
}
