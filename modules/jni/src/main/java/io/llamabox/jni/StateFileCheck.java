package io.llamabox.jni;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Checks a sequence state file (llama.cpp's format, written by {@code llama_state_seq_save_file}: magic,
 * version, token count, tokens, then the sequence's cache as {@code llama_state_seq_get_data} lays it out)
 * before llama.cpp reads any of it. llama.cpp's reader checks the layer count, types and row sizes against
 * the context and reports a short file, but it checks neither the token ids nor the cells' positions: a
 * damaged position (negative, beyond the prompt, repeated) used to enter the cache, where no later erase
 * reaches a negative one, so every later answer of that sequence changed. Here the ids must lie in the
 * vocabulary, their count in the slot, and the cache's cells at exactly the positions 0..n-1 (n may be
 * less than the tokens: those beyond are dropped). {@link Context#restoreSequence} then requires llama.cpp
 * to read the cache to the file's last byte.
 */
final class StateFileCheck {
    static final int HEADER_BYTES = 12;
    private static final int MAGIC = 0x67677371; // "ggsq"
    private static final int VERSION = 4;
    private static final int WINDOW = 1 << 20;

    private final StateFile file;
    private final StateLayout layout;
    private final long end;
    private ByteBuffer window;
    private long windowStart;

    private StateFileCheck(StateFile file, StateLayout layout) {
        this.file = file;
        this.layout = layout;
        this.end = file.size();
    }

    /** The tokens whose cache the file holds and where that cache lies in it. */
    record Checked(int[] tokens, long stateOffset, long stateLength) {
    }

    /** Checks {@code file} for a sequence of at most {@code capacity} tokens; throws naming the first fault. */
    static Checked check(StateFile file, StateLayout layout, int capacity) {
        return new StateFileCheck(file, layout).run(capacity);
    }

    private Checked run(int capacity) {
        int magic = i32(0);
        int version = i32(4);
        if (magic != MAGIC) {
            throw refuse(String.format("not a sequence state file (magic %08x)", magic));
        }
        if (version != VERSION) {
            throw refuse("the file has state version " + version + "; this llama.cpp reads version " + VERSION);
        }
        long count = u32(8);
        if (count > capacity) {
            throw refuse("the file holds " + count + " tokens but the slot holds at most " + capacity);
        }
        long stateOffset = HEADER_BYTES + 4 * count;
        if (stateOffset >= end) {
            throw refuse("the file is truncated: " + end + " bytes, its " + count + " tokens alone need "
                    + stateOffset + " and the cache follows them");
        }
        if (count > 0 && i32(HEADER_BYTES) == -1) {
            // llama-server (this llama.cpp's) stores a token list of its own there, marked by a leading -1
            throw refuse("its token list is in llama-server's own layout (it starts with -1), which this server"
                    + " does not read");
        }
        int[] tokens = new int[(int) count];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = i32(HEADER_BYTES + 4L * i);
            if (tokens[i] < 0 || tokens[i] >= layout.nVocab()) {
                throw refuse("token " + i + " is id " + tokens[i] + ", outside this model's vocabulary of "
                        + layout.nVocab());
            }
        }
        if (layout.recurrentMemory()) {
            return new Checked(tokens, stateOffset, end - stateOffset);
        }
        int cached = cachedPositions(stateOffset, tokens.length);
        int[] kept = cached == tokens.length ? tokens : Arrays.copyOf(tokens, cached);
        return new Checked(kept, stateOffset, end - stateOffset);
    }

    /**
     * Reads the positions of the cells of the first attention cache section (the only one without
     * sliding-window attention): the stream count, the streams' cell counts up to the one that holds the
     * sequence, and its cells. Returns how many tokens it caches, which must sit at positions 0..n-1. The
     * layer data that follows is llama.cpp's to check against this context.
     */
    private int cachedPositions(long at, int tokens) {
        long streams = u32(at);
        at += 4;
        if (streams == 0 || streams > 1 << 16) {
            throw refuse("the cache has " + streams + " streams");
        }
        long cells = 0;
        for (long s = 0; s < streams && cells == 0; s++, at += 4) {
            cells = u32(at);
        }
        if (cells > tokens) {
            throw refuse("the cache holds " + cells + " cells but the file " + tokens + " tokens");
        }
        int perCell = 12 + (layout.positionsPerToken() > 1 ? 8 : 0);
        BitSet positions = new BitSet();
        for (long c = 0; c < cells; c++, at += perCell) {
            int pos = i32(at);
            long seqIds = u32(at + 4);
            if (seqIds != 1) {
                throw refuse("cache cell " + c + " belongs to " + seqIds + " sequences, not one");
            }
            if (pos < 0 || pos >= tokens) {
                throw refuse("cache cell " + c + " is at position " + pos + ", outside 0.." + (tokens - 1));
            }
            if (positions.get(pos)) {
                throw refuse("two cache cells are at position " + pos);
            }
            positions.set(pos);
        }
        if (positions.nextClearBit(0) != cells) {
            throw refuse("the cache's positions have a gap at " + positions.nextClearBit(0));
        }
        if (cells > 0 && at >= end) {
            throw refuse("the file is truncated: it ends after the cache's cells, before their keys and values");
        }
        return (int) cells;
    }

    private long u32(long at) {
        return Integer.toUnsignedLong(i32(at));
    }

    private int i32(long at) {
        return bytes(at, 4).getInt((int) (at - windowStart));
    }

    private ByteBuffer bytes(long at, int n) {
        if (at < 0 || at + n > end) {
            throw refuse("the file is truncated: " + end + " bytes, the cache continues past its end");
        }
        if (window == null || at < windowStart || at + n > windowStart + window.capacity()) {
            windowStart = at;
            window = file.view(at, (int) Math.min(WINDOW, end - at)).order(ByteOrder.LITTLE_ENDIAN);
        }
        return window;
    }

    private static IllegalArgumentException refuse(String message) {
        return new IllegalArgumentException(message);
    }
}
