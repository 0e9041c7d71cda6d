package io.llamabox.testkit.gguf;

import java.nio.ByteBuffer;

/**
 * The tensor element types this writer can encode, with ggml's ids and block layouts.
 *
 * <p>{@code Q8_0} stores blocks of 32 values as one fp16 scale {@code d = max|x| / 127} followed by 32
 * signed bytes {@code round(x / d)} (rounding half away from zero), which is ggml's reference
 * quantization.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q8_0(8, 32, 34);

    private final int id;
    private final int blockSize;
    private final int blockBytes;

    GgmlType(int id, int blockSize, int blockBytes) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** ggml's id of the type (the value stored in tensor infos). */
    public int id() {
        return id;
    }

    /** Number of elements in one block. */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes of one block. */
    public int blockBytes() {
        return blockBytes;
    }

    /** Bytes taken by {@code elements} values; {@code elements} must be a whole number of blocks. */
    public long byteSize(long elements) {
        if (elements % blockSize != 0) {
            throw new IllegalArgumentException(elements + " elements is not a whole number of " + this + " blocks");
        }
        return elements / blockSize * blockBytes;
    }

    /** The type with the given ggml id. */
    public static GgmlType ofId(int id) {
        for (GgmlType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported ggml type id " + id);
    }

    /**
     * Encodes {@code count} values of {@code src} (a whole number of blocks) into {@code dst}, which must
     * be little-endian and have room for {@link #byteSize(long)} bytes.
     */
    public void encode(float[] src, int count, ByteBuffer dst) {
        if (count % blockSize != 0) {
            throw new IllegalArgumentException(count + " values is not a whole number of " + this + " blocks");
        }
        switch (this) {
            case F32 -> {
                for (int i = 0; i < count; i++) {
                    dst.putFloat(src[i]);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst.putShort(Float.floatToFloat16(src[i]));
                }
            }
            case Q8_0 -> {
                for (int b = 0; b < count; b += 32) {
                    float amax = 0f;
                    for (int j = 0; j < 32; j++) {
                        amax = Math.max(amax, Math.abs(src[b + j]));
                    }
                    float d = amax / 127f;
                    float id = d != 0f ? 1f / d : 0f;
                    dst.putShort(Float.floatToFloat16(d));
                    for (int j = 0; j < 32; j++) {
                        dst.put((byte) roundHalfAway(src[b + j] * id));
                    }
                }
            }
        }
    }

    /**
     * Decodes {@code count} values (a whole number of blocks) from {@code src}, a little-endian buffer
     * positioned at the first block, into {@code dst}.
     */
    public void decode(ByteBuffer src, float[] dst, int count) {
        if (count % blockSize != 0) {
            throw new IllegalArgumentException(count + " values is not a whole number of " + this + " blocks");
        }
        switch (this) {
            case F32 -> {
                for (int i = 0; i < count; i++) {
                    dst[i] = src.getFloat();
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst[i] = Float.float16ToFloat(src.getShort());
                }
            }
            case Q8_0 -> {
                for (int b = 0; b < count; b += 32) {
                    float d = Float.float16ToFloat(src.getShort());
                    for (int j = 0; j < 32; j++) {
                        dst[b + j] = d * src.get();
                    }
                }
            }
        }
    }

    /** C's {@code roundf}: to nearest, halfway cases away from zero. */
    static int roundHalfAway(float x) {
        double a = Math.floor(Math.abs((double) x) + 0.5);
        return (int) Math.copySign(a, x);
    }
}
