package io.llamabox.testkit.model;

import io.llamabox.testkit.gguf.TensorSource;

import java.util.function.IntPredicate;

/**
 * Deterministic pseudo-random tensor values.
 *
 * <p>Element {@code i} is a function of the seed and {@code i} alone (a SplitMix64 step), so values do
 * not depend on the JDK, on chunking or on the order tensors are written in. The distribution is close
 * to a normal one: the sum of four uniform 16-bit fields, centred and scaled to a standard deviation
 * of {@code std}.
 */
public final class RandomTensor implements TensorSource {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final float UNIT_SCALE = (float) (Math.sqrt(3.0) / 65536.0);

    private final long seed;
    private final float std;
    private final float mean;
    private final int rowLength;
    private final IntPredicate zeroRow;

    private RandomTensor(long seed, float std, float mean, int rowLength, IntPredicate zeroRow) {
        this.seed = seed;
        this.std = std;
        this.mean = mean;
        this.rowLength = rowLength;
        this.zeroRow = zeroRow;
    }

    /** Values with mean 0 and standard deviation {@code std}. */
    public static RandomTensor normal(long seed, float std) {
        return new RandomTensor(seed, std, 0f, 0, null);
    }

    /** Values with the given mean and standard deviation. */
    public static RandomTensor normal(long seed, float mean, float std) {
        return new RandomTensor(seed, std, mean, 0, null);
    }

    /**
     * The same values, except that the rows (runs of {@code rowLength} elements, i.e. index along
     * {@code ne[1]}) for which {@code zero} is true are all zero.
     */
    public RandomTensor withZeroRows(int rowLength, IntPredicate zero) {
        if (rowLength <= 0) {
            throw new IllegalArgumentException("rowLength must be positive");
        }
        return new RandomTensor(seed, std, mean, rowLength, zero);
    }

    /** A seed for the tensor {@code name} of a model generated from {@code modelSeed}. */
    public static long seedFor(long modelSeed, String name) {
        long h = 0xCBF29CE484222325L;
        for (byte b : name.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001B3L;
        }
        return mix(modelSeed * GOLDEN ^ h);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Element {@code i}. */
    public float value(long i) {
        if (zeroRow != null && zeroRow.test((int) (i / rowLength))) {
            return 0f;
        }
        long r = mix(seed + (i + 1) * GOLDEN);
        long sum = (r & 0xFFFF) + ((r >>> 16) & 0xFFFF) + ((r >>> 32) & 0xFFFF) + (r >>> 48);
        float unit = (sum - 131070L) * UNIT_SCALE;
        return mean + std * unit;
    }

    @Override
    public void fill(long start, float[] dst, int count) {
        for (int k = 0; k < count; k++) {
            dst[k] = value(start + k);
        }
    }
}
