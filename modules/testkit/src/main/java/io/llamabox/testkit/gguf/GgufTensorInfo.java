package io.llamabox.testkit.gguf;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor as described in a GGUF file's tensor-info section.
 *
 * @param name   tensor name, e.g. {@code blk.0.attn_q.weight}
 * @param type   element type
 * @param dims   dimensions in ggml order ({@code ne[0]}, the contiguous one, first); 1 to 4 of them
 * @param offset byte offset of the data from the start of the data section
 */
public record GgufTensorInfo(String name, GgmlType type, long[] dims, long offset) {

    public GgufTensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        dims = dims.clone();
        if (dims.length < 1 || dims.length > 4) {
            throw new IllegalArgumentException("a tensor has 1 to 4 dimensions, " + name + " has " + dims.length);
        }
        for (long d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("dimensions of " + name + " must be positive: " + Arrays.toString(dims));
            }
        }
        if (dims[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("ne[0] = " + dims[0] + " of " + name + " is not a multiple of the "
                    + type + " block size " + type.blockSize());
        }
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** Number of elements. */
    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Bytes of data (without alignment padding). */
    public long byteSize() {
        return type.byteSize(elementCount());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t && name.equals(t.name) && type == t.type
                && Arrays.equals(dims, t.dims) && offset == t.offset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(dims), offset);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(dims) + " @" + offset;
    }
}
