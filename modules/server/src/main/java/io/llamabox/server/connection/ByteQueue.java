package io.llamabox.server.connection;

import java.util.Arrays;

/** Bytes received and not yet passed on: appended at the end, taken from the front. */
final class ByteQueue {
    private byte[] bytes = new byte[512];
    private int start;
    private int end;

    int size() {
        return end - start;
    }

    void append(byte[] b, int offset, int length) {
        if (end + length > bytes.length) {
            int size = size();
            byte[] grown = size + length > bytes.length ? new byte[Math.max(bytes.length * 2, size + length)] : bytes;
            System.arraycopy(bytes, start, grown, 0, size);
            bytes = grown;
            start = 0;
            end = size;
        }
        System.arraycopy(b, offset, bytes, end, length);
        end += length;
    }

    void append(byte[] b) {
        append(b, 0, b.length);
    }

    /** The index (from the front) where {@code seq} first starts, or -1. */
    int indexOf(byte[] seq) {
        outer:
        for (int i = start; i <= end - seq.length; i++) {
            for (int j = 0; j < seq.length; j++) {
                if (bytes[i + j] != seq[j]) {
                    continue outer;
                }
            }
            return i - start;
        }
        return -1;
    }

    /** Removes and returns the first {@code n} bytes. */
    byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(bytes, start, start + n);
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
        }
        return out;
    }

    byte[] takeAll() {
        return take(size());
    }
}
