package io.llamabox.engine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns token pieces (byte fragments) into text without ever splitting a UTF-8 sequence: bytes of
 * an unfinished sequence wait for the next piece. Invalid bytes become U+FFFD once it is clear
 * they cannot complete (grammar-constrained output never has any: see the native UTF-8 guard sampler).
 */
final class Utf8Decoder {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** Adds bytes and returns the text that is now complete (possibly empty). */
    String feed(byte[] bytes) {
        pending.write(bytes, 0, bytes.length);
        byte[] all = pending.toByteArray();
        int complete = completePrefix(all);
        pending.reset();
        pending.write(all, complete, all.length - complete);
        return complete == 0 ? "" : new String(all, 0, complete, StandardCharsets.UTF_8);
    }

    /**
     * The end of the output: what is still pending is a character the output ended inside (cut by the token
     * limit), which is dropped rather than written as U+FFFD, so that output ends in valid UTF-8.
     */
    String flush() {
        pending.reset();
        return "";
    }

    /** Length of the longest prefix that does not end inside a possibly valid UTF-8 sequence. */
    static int completePrefix(byte[] b) {
        int n = b.length;
        // look back at most 3 bytes for the start of a multi-byte sequence
        for (int back = 1; back <= Math.min(3, n); back++) {
            int c = b[n - back] & 0xFF;
            if ((c & 0xC0) == 0x80) {
                continue; // continuation byte: keep looking for the lead byte
            }
            int need = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
            return need > back ? n - back : n;
        }
        return n;
    }
}
