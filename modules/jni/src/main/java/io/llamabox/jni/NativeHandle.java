package io.llamabox.jni;

/**
 * A Java object that owns one native pointer: it refuses use after {@link #close()} and frees the
 * pointer exactly once. Handles are not thread-safe; one owner uses and closes each.
 */
abstract sealed class NativeHandle implements AutoCloseable
        permits Model, Context, Batch, Sampler, LoraAdapter, Mtmd, MtmdBitmap, MtmdChunks, SequenceSnapshot,
        StateFile {
    private long pointer;
    private final String kind;

    NativeHandle(String kind, long pointer) {
        if (pointer == 0) {
            throw new LlamaException("native " + kind + " could not be created");
        }
        this.kind = kind;
        this.pointer = pointer;
    }

    /** The live pointer; throws if the handle is closed. */
    final long pointer() {
        long p = pointer;
        if (p == 0) {
            throw new IllegalStateException(kind + " is closed");
        }
        return p;
    }

    public final boolean isClosed() {
        return pointer == 0;
    }

    @Override
    public final void close() {
        long p = pointer;
        if (p != 0) {
            pointer = 0;
            free(p);
        }
    }

    abstract void free(long pointer);
}
