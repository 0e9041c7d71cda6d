package io.llamabox.testkit.gguf;

import java.nio.ByteBuffer;

/**
 * The tensor element types this writer can encode, with ggml's ids and block layouts.
 *
 * <p>{@code Q8_0} stores blocks of 32 values as one fp16 scale {@code d = max|x| / 127} followed by 32
 * signed bytes {@code round(x / d)} (rounding half away from zero), which is ggml's reference
 * quantization. {@code Q4_0} stores blocks of 32 values as one fp16 scale {@code d = m / -8}, where
 * {@code m} is the value of largest magnitude (sign kept), followed by 16 bytes of 4-bit codes
 * {@code min(15, trunc(x / d + 8.5))}: the low nibbles hold values 0-15 of the block, the high nibbles
 * values 16-31; a code {@code q} decodes to {@code (q - 8) * d}. That is ggml's reference quantization too.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
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
            case Q4_0 -> {
                for (int b = 0; b < count; b += 32) {
                    float amax = 0f;
                    float max = 0f;
                    for (int j = 0; j < 32; j++) {
                        float v = src[b + j];
                        if (Math.abs(v) > amax) {
                            amax = Math.abs(v);
                            max = v;
                        }
                    }
                    float d = max / -8f;
                    float id = d != 0f ? 1f / d : 0f;
                    dst.putShort(Float.floatToFloat16(d));
                    for (int j = 0; j < 16; j++) {
                        int lo = Math.min(15, (int) (src[b + j] * id + 8.5f));
                        int hi = Math.min(15, (int) (src[b + 16 + j] * id + 8.5f));
                        dst.put((byte) (lo | hi << 4));
                    }
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
            case Q4_0 -> {
                for (int b = 0; b < count; b += 32) {
                    float d = Float.float16ToFloat(src.getShort());
                    for (int j = 0; j < 16; j++) {
                        int q = src.get() & 0xFF;
                        dst[b + j] = ((q & 0x0F) - 8) * d;
                        dst[b + 16 + j] = ((q >>> 4) - 8) * d;
                    }
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
