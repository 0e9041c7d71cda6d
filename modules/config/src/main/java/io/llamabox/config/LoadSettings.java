package io.llamabox.config;

/**
 * How the model file is brought into memory.
 *
 * @param mmap memory-map the file ({@code --mmap}/{@code --no-mmap}; LoRA adapters turn it off unless given)
 * @param mlock keep the model in RAM ({@code --mlock})
 * @param numa NUMA optimisation ({@code --numa})
 * @param warmup run an empty decode before serving ({@code --warmup}/{@code --no-warmup})
 */
public record LoadSettings(boolean mmap, boolean mlock, NumaStrategy numa, boolean warmup) {
    public LoadSettings {
        Invariants.present("NUMA strategy", numa);
    }
}
