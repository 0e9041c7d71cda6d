package io.llamabox.jni;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The bytes of a sequence state file, read whole into native memory: Java checks these very bytes (see
 * {@link Context#restoreSequence}) and llama.cpp is given them, so a file changed in between cannot slip
 * past the checks.
 */
public final class StateFile extends NativeHandle {
    private static final int WINDOW = 1 << 30;
    private final long size;

    private StateFile(long pointer, long size) {
        super("state file", pointer);
        this.size = size;
    }

    /** Reads {@code file}, refusing one larger than {@code maxBytes}. */
    public static StateFile read(Path file, long maxBytes) throws IOException {
        long size = Files.size(file);
        if (size < StateFileCheck.HEADER_BYTES) {
            throw new IllegalArgumentException("the file is " + size + " bytes, shorter than a state file's header");
        }
        if (size > maxBytes) {
            throw new IllegalArgumentException("the file is " + size + " bytes, more than a slot of this context"
                    + " can hold (" + maxBytes + ")");
        }
        return new StateFile(Natives.stateFileRead(Text.utf8(file), size), size);
    }

    public long size() {
        return size;
    }

    /** The CRC-32C of the whole file. */
    public long crc32c() {
        CRC32C crc = new CRC32C();
        for (long at = 0; at < size; at += WINDOW) {
            crc.update(view(at, (int) Math.min(WINDOW, size - at)));
        }
        return crc.getValue();
    }

    ByteBuffer view(long offset, int length) {
        return Natives.snapshotView(pointer(), offset, length);
    }

    long handle() {
        return pointer();
    }

    @Override
    void free(long pointer) {
        Natives.snapshotFree(pointer);
    }
}
