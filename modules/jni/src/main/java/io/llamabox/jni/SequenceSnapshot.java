package io.llamabox.jni;

/**
 * A copy of one sequence's KV-cache state in native memory, taken with {@link Context#snapshot} and put
 * back, into any sequence of a context of the same model and shape, with {@link Context#restore}.
 */
public final class SequenceSnapshot extends NativeHandle {
    private final long size;

    SequenceSnapshot(long pointer) {
        super("sequence snapshot", pointer);
        this.size = Natives.snapshotSize(pointer);
    }

    /** Bytes of native memory held. */
    public long size() {
        return size;
    }

    long handle() {
        return pointer();
    }

    @Override
    void free(long pointer) {
        Natives.snapshotFree(pointer);
    }
}
