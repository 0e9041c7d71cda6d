package io.llamabox.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One tensor buffer-type override ({@code -ot PATTERN=BUFFER_TYPE}): the weights whose names the pattern
 * finds (a regular expression searched anywhere in the name, as llama.cpp does) are stored in that buffer
 * type instead of the one their layer's device would give them.
 *
 * @param pattern the regular expression
 * @param bufferType a buffer type's name, as {@code --list-buffer-types} prints it (e.g. {@code CPU})
 */
public record TensorOverride(String pattern, String bufferType) {
    public TensorOverride {
        Invariants.notBlank("tensor pattern", pattern);
        Invariants.notBlank("buffer type", bufferType);
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("tensor pattern '" + pattern + "' is not a regular expression: "
                    + e.getDescription());
        }
    }

    /**
     * The experts' weights of a Mixture-of-Experts model in host memory: all layers' ({@code --cpu-moe})
     * when {@code layers} is negative, else those of layers 0 to {@code layers - 1} ({@code --n-cpu-moe N}).
     */
    public static List<TensorOverride> expertsOnCpu(int layers) {
        if (layers < 0) {
            return List.of(new TensorOverride("\\.ffn_(up|down|gate)_exps", "CPU"));
        }
        List<TensorOverride> out = new ArrayList<>(layers);
        for (int layer = 0; layer < layers; layer++) {
            out.add(new TensorOverride("blk\\." + layer + "\\.ffn_(up|down|gate)_exps", "CPU"));
        }
        return out;
    }
}
