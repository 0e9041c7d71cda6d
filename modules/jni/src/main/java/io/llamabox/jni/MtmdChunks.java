package io.llamabox.jni;

/** The chunks of a tokenized multimodal prompt: text chunks hold tokens, media chunks a token count. */
public final class MtmdChunks extends NativeHandle {
    /** Chunk types, in the order of {@code enum mtmd_input_chunk_type}. */
    public enum Type { TEXT, IMAGE, AUDIO }

    /** One chunk: its type, how many KV positions' worth of tokens it holds, and its id (media only). */
    public record Chunk(Type type, int nTokens, int nPositions, String id) {
    }

    private final int size;

    MtmdChunks(long pointer) {
        super("chunks", pointer);
        this.size = Natives.chunksCount(pointer);
    }

    public int size() {
        return size;
    }

    public Chunk chunk(int i) {
        check(i);
        int[] info = Natives.chunkInfo(pointer(), i);
        Type type = Type.values()[Math.min(info[0], Type.values().length - 1)];
        return new Chunk(type, info[1], info[2], Text.string(Natives.chunkId(pointer(), i)));
    }

    /** The tokens of a text chunk. */
    public int[] textTokens(int i) {
        check(i);
        int[] tokens = Natives.chunkTextTokens(pointer(), i);
        if (tokens == null) {
            throw new IllegalArgumentException("chunk " + i + " is not a text chunk");
        }
        return tokens;
    }

    private void check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("chunk " + i + " out of range [0, " + size + ")");
        }
    }

    @Override
    void free(long pointer) {
        Natives.chunksFree(pointer);
    }
}
