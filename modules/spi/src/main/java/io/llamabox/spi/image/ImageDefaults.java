package io.llamabox.spi.image;

import java.util.Objects;

/**
 * The settings of a generation that names none of its own: from the command line where given, else from
 * the model's family.
 *
 * @param sampleMethod sampler name ({@code euler_a}, {@code euler}, ...)
 * @param schedule sigma schedule name ({@code default}, {@code discrete}, {@code karras}, ...)
 * @param steps sampling steps
 * @param cfgScale classifier-free guidance scale (1 = off)
 * @param guidance distilled guidance (models that take it)
 * @param strength how far an edit's picture is noised (0..1)
 */
public record ImageDefaults(String sampleMethod, String schedule, int steps, double cfgScale, double guidance,
        double strength) {
    public ImageDefaults {
        Objects.requireNonNull(sampleMethod, "sampleMethod");
        Objects.requireNonNull(schedule, "schedule");
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        if (!(strength >= 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be in 0..1, got " + strength);
        }
    }
}
