package io.llamabox.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The checks that the records' compact constructors share; each failure names the setting. */
final class Invariants {
    private Invariants() {
    }

    static <T> T present(String name, T value) {
        return Objects.requireNonNull(value, () -> name + " is required");
    }

    static <T> List<T> elements(String name, List<T> values) {
        present(name, values);
        for (T value : values) {
            present("every element of " + name, value);
        }
        return List.copyOf(values);
    }

    static <T> Optional<T> optional(String name, Optional<T> value) {
        return present(name, value);
    }

    static int between(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    static long between(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    static long atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number, got " + value);
        }
        return value;
    }

    static double between(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    static double atLeast(String name, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number of at least " + min + ", got " + value);
        }
        return value;
    }

    static double positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number above 0, got " + value);
        }
        return value;
    }

    /** -1 stands for "decide automatically" in several thread and layer counts. */
    static int automaticOrAtLeast(String name, int value, int min) {
        if (value != -1 && value < min) {
            throw new IllegalArgumentException(name + " must be -1 (automatic) or at least " + min + ", got " + value);
        }
        return value;
    }

    static String notBlank(String name, String value) {
        present(name, value);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
