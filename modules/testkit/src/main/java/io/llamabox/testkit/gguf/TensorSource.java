package io.llamabox.testkit.gguf;

/**
 * The values of one tensor, produced on demand so that large tensors are never held in memory.
 *
 * <p>Elements are numbered in ggml order: {@code ne[0]} varies fastest. The writer asks for
 * consecutive ranges from the start to the end; an implementation may rely on that order but should
 * be able to answer the same range twice with the same values, so that a file can be written again.
 */
@FunctionalInterface
public interface TensorSource {

    /** Fills {@code dst[0..count)} with elements {@code start .. start+count-1}. */
    void fill(long start, float[] dst, int count);

    /** A source over values already in memory (they are not copied). */
    static TensorSource of(float... values) {
        return (start, dst, count) -> System.arraycopy(values, Math.toIntExact(start), dst, 0, count);
    }

    /** Every element has the value {@code v}. */
    static TensorSource constant(float v) {
        return (start, dst, count) -> java.util.Arrays.fill(dst, 0, count, v);
    }
}
