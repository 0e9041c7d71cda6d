package io.llamabox.jni;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;

/**
 * A reusable batch of tokens for {@link Context#decode}. Its arrays live in direct buffers that the
 * native {@code llama_batch} points into, so adding a token costs no JNI call. Each token belongs to
 * one sequence. Values are checked again against the context when the batch is decoded.
 */
public final class Batch extends NativeHandle {
    private final int capacity;
    private final IntBuffer tokens;
    private final IntBuffer positions;
    private final IntBuffer seqIds;
    private final ByteBuffer outputs;
    private int size;

    private Batch(int capacity, ByteBuffer t, ByteBuffer p, ByteBuffer s, ByteBuffer o) {
        super("batch", Natives.batchNew(capacity, t, p, s, o));
        this.capacity = capacity;
        this.tokens = t.asIntBuffer();
        this.positions = p.asIntBuffer();
        this.seqIds = s.asIntBuffer();
        this.outputs = o;
    }

    public static Batch allocate(int capacity) {
        NativeLibrary.load();
        if (capacity < 1) {
            throw new IllegalArgumentException("batch capacity must be at least 1");
        }
        return new Batch(capacity, direct(4 * capacity), direct(4 * capacity), direct(4 * capacity),
                direct(capacity));
    }

    private static ByteBuffer direct(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    /** Adds a token and returns its index in the batch (the index to sample or read logits at). */
    public int add(int token, int position, int seqId, boolean output) {
        pointer();
        if (size == capacity) {
            throw new IllegalStateException("batch is full (" + capacity + " tokens)");
        }
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative: " + position);
        }
        if (seqId < 0) {
            throw new IllegalArgumentException("sequence id must not be negative: " + seqId);
        }
        int i = size++;
        tokens.put(i, token);
        positions.put(i, position);
        seqIds.put(i, seqId);
        outputs.put(i, (byte) (output ? 1 : 0));
        return i;
    }

    /** Marks whether the token at {@code index} produces logits. */
    public void setOutput(int index, boolean output) {
        checkIndex(index);
        outputs.put(index, (byte) (output ? 1 : 0));
    }

    public int token(int index) {
        checkIndex(index);
        return tokens.get(index);
    }

    public int position(int index) {
        checkIndex(index);
        return positions.get(index);
    }

    public int seqId(int index) {
        checkIndex(index);
        return seqIds.get(index);
    }

    public boolean output(int index) {
        checkIndex(index);
        return outputs.get(index) != 0;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("batch index " + index + " out of range [0, " + size + ")");
        }
    }

    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int remaining() {
        return capacity - size;
    }

    @Override
    void free(long pointer) {
        Natives.batchFree(pointer);
    }
}
