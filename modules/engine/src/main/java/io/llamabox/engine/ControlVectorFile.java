package io.llamabox.engine;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads one control-vector file: a GGUF file (version 2 or 3) whose every tensor is an F32 vector of
 * n_embd values named {@code direction.<layer>}, layer 1 or more. Every count, length and offset is checked
 * against the file's size before it is used, so a damaged or hostile file ends in a
 * {@link ControlVectorException}, never in a large allocation: what is held in memory is one vector per
 * layer of the model. Metadata other than {@code general.alignment} is skipped unread.
 */
final class ControlVectorFile {
    /** "GGUF" read as a little-endian uint32. */
    private static final int MAGIC = 0x46554747;
    private static final int DEFAULT_ALIGNMENT = 32;
    private static final String ALIGNMENT_KEY = "general.alignment";
    /** ggml's limits: a tensor name of at most 63 bytes, at most 4 dimensions. */
    private static final int MAX_NAME_BYTES = 63;
    private static final int MAX_DIMS = 4;
    private static final int GGML_TYPE_F32 = 0;
    // GGUF metadata value types
    private static final int UINT32 = 4;
    private static final int STRING = 8;
    private static final int ARRAY = 9;
    /** Bytes of each fixed-size metadata type by its id; 0 for STRING and ARRAY, which have their own layout. */
    private static final int[] VALUE_BYTES = {1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8};

    private record Direction(String name, int layer, long offset) {
    }

    private ControlVectorFile() {
    }

    /**
     * The file's vectors times {@code scale}, summed per layer: {@code nEmbd} floats for each of layers 1 to
     * {@code nLayer}, zero where the file has none. Vectors of later layers are checked but not read (no
     * context applies them).
     */
    static float[] read(Path path, float scale, int nEmbd, int nLayer) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return read(path, ch, scale, nEmbd, nLayer);
        } catch (NoSuchFileException e) {
            throw new ControlVectorException(path, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new ControlVectorException(path, "permission denied", e);
        } catch (EOFException e) {
            throw new ControlVectorException(path, "the file is truncated or damaged: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ControlVectorException(path, "cannot be read: " + e, e);
        }
    }

    private static float[] read(Path path, FileChannel ch, float scale, int nEmbd, int nLayer) throws IOException {
        Cursor in = new Cursor(ch, ch.size());
        if (in.size < 4 || in.u32() != MAGIC) {
            throw new ControlVectorException(path, "not a GGUF file");
        }
        long version = in.u32();
        if (version != 2 && version != 3) {
            throw new ControlVectorException(path, "GGUF version " + version + " is not supported (only 2 and 3)");
        }
        long tensors = in.count("tensor count");
        long entries = in.count("metadata count");
        long alignment = -1;
        for (long i = 0; i < entries; i++) {
            long keyLength = in.count("metadata key length");
            boolean isAlignment = false;
            if (keyLength == ALIGNMENT_KEY.length()) {
                isAlignment = new String(in.bytes((int) keyLength), StandardCharsets.UTF_8).equals(ALIGNMENT_KEY);
            } else {
                in.skip(keyLength);
            }
            long type = in.u32();
            if (!isAlignment) {
                skipValue(path, in, type);
                continue;
            }
            if (alignment != -1) {
                throw new ControlVectorException(path, ALIGNMENT_KEY + " is given twice");
            }
            if (type != UINT32) {
                throw new ControlVectorException(path, ALIGNMENT_KEY + " must be a UINT32, it has GGUF type " + type);
            }
            alignment = in.u32();
            if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
                throw new ControlVectorException(path, ALIGNMENT_KEY + " must be a power of two, it is " + alignment);
            }
        }
        if (alignment == -1) {
            alignment = DEFAULT_ALIGNMENT;
        }
        if (tensors == 0) {
            throw new ControlVectorException(path, "the file holds no direction tensors");
        }
        long vectorBytes = 4L * nEmbd;
        long paddedBytes = alignUp(vectorBytes, alignment);
        List<Direction> used = new ArrayList<>();
        Set<String> names = new HashSet<>();
        long dataBytes = 0;
        for (long i = 0; i < tensors; i++) {
            long nameLength = in.count("tensor name length");
            if (nameLength > MAX_NAME_BYTES) {
                throw new ControlVectorException(path, "tensor " + i + " has a name of " + nameLength
                        + " bytes (at most " + MAX_NAME_BYTES + ")");
            }
            String name = new String(in.bytes((int) nameLength), StandardCharsets.UTF_8);
            long dims = in.u32();
            if (dims > MAX_DIMS) {
                throw new ControlVectorException(path, "tensor " + name + " has " + dims + " dimensions (at most " + MAX_DIMS + ")");
            }
            long[] ne = {1, 1, 1, 1};
            for (int d = 0; d < dims; d++) {
                ne[d] = in.u64();
                if (ne[d] < 0) {
                    throw new ControlVectorException(path, "tensor " + name + " has a negative dimension");
                }
            }
            long type = in.u32();
            long offset = in.u64();
            if (!names.add(name)) {
                throw new ControlVectorException(path, "tensor " + name + " is there twice");
            }
            int layer = layerOf(name);
            if (layer < 0) {
                throw new ControlVectorException(path, "tensor " + name + " is not named direction.<layer>");
            }
            if (layer == 0) {
                throw new ControlVectorException(path, "tensor " + name + " is for layer 0; layers start at 1");
            }
            if (type != GGML_TYPE_F32) {
                throw new ControlVectorException(path, "tensor " + name + " has ggml type " + type + ", not F32");
            }
            if (ne[1] != 1 || ne[2] != 1 || ne[3] != 1) {
                throw new ControlVectorException(path, "tensor " + name + " is not a vector (shape " + ne[0] + "x" + ne[1]
                        + "x" + ne[2] + "x" + ne[3] + ")");
            }
            if (ne[0] != nEmbd) {
                throw new ControlVectorException(path, "tensor " + name + " has " + ne[0] + " values, but the model's"
                        + " n_embd is " + nEmbd);
            }
            // ggml lays tensors out back to back, each padded to the alignment
            if (offset != dataBytes) {
                throw new ControlVectorException(path, "tensor " + name + " is at offset " + Long.toUnsignedString(offset)
                        + " of the data, expected " + dataBytes);
            }
            dataBytes += paddedBytes;
            if (dataBytes > in.size - in.position()) {
                throw new ControlVectorException(path, "tensor " + name + " lies beyond the end of the file");
            }
            if (layer <= nLayer) {
                used.add(new Direction(name, layer, offset));
            }
        }
        long dataStart = alignUp(in.position(), alignment);
        if (dataStart > in.size || dataBytes > in.size - dataStart) {
            throw new ControlVectorException(path, "the tensor data runs past the end of the file");
        }
        float[] out = new float[Math.multiplyExact(nEmbd, nLayer)];
        ByteBuffer buf = ByteBuffer.allocate((int) vectorBytes).order(ByteOrder.LITTLE_ENDIAN);
        for (Direction d : used) {
            buf.clear();
            readFully(ch, buf, dataStart + d.offset());
            buf.flip();
            int base = (d.layer() - 1) * nEmbd;
            for (int j = 0; j < nEmbd; j++) {
                float v = buf.getFloat();
                if (!Float.isFinite(v)) {
                    throw new ControlVectorException(path, "tensor " + d.name() + " holds " + v + " at index " + j);
                }
                // as llama.cpp: each value times the scale, added to what the file gave the layer so far
                out[base + j] += v * scale;
            }
        }
        return out;
    }

    private static void skipValue(Path path, Cursor in, long type) throws IOException {
        if (type == STRING) {
            in.skip(in.count("string length"));
        } else if (type == ARRAY) {
            long elementType = in.u32();
            long n = in.count("array length");
            if (elementType == STRING) {
                if (n > (in.size - in.position()) / 8) {
                    throw new EOFException("an array of " + n + " strings does not fit in the file");
                }
                for (long i = 0; i < n; i++) {
                    in.skip(in.count("string length"));
                }
            } else if (elementType >= 0 && elementType < VALUE_BYTES.length && VALUE_BYTES[(int) elementType] > 0) {
                int size = VALUE_BYTES[(int) elementType];
                if (n > (in.size - in.position()) / size) {
                    throw new EOFException("an array of " + n + " values does not fit in the file");
                }
                in.skip(n * size);
            } else {
                throw new ControlVectorException(path, "a metadata array has element type " + elementType);
            }
        } else if (type >= 0 && type < VALUE_BYTES.length) {
            in.skip(VALUE_BYTES[(int) type]);
        } else {
            throw new ControlVectorException(path, "a metadata value has unknown GGUF type " + type);
        }
    }

    /**
     * The layer of a tensor name as llama.cpp reads it: the text after {@code direction.} read like C++'s
     * {@code std::stoi} (white space, a sign, digits, anything after them ignored); -1 when the name is not
     * of that form or the number is out of int range.
     */
    static int layerOf(String name) {
        int dot = name.indexOf('.');
        if (dot < 0 || !name.substring(0, dot).equals("direction")) {
            return -1;
        }
        int i = dot + 1;
        int n = name.length();
        while (i < n && " \t\n\u000b\f\r".indexOf(name.charAt(i)) >= 0) {
            i++;
        }
        boolean negative = false;
        if (i < n && (name.charAt(i) == '+' || name.charAt(i) == '-')) {
            negative = name.charAt(i) == '-';
            i++;
        }
        long v = 0;
        int start = i;
        while (i < n && name.charAt(i) >= '0' && name.charAt(i) <= '9') {
            v = v * 10 + (name.charAt(i) - '0');
            if (v > Integer.MAX_VALUE) {
                return -1;
            }
            i++;
        }
        if (i == start) {
            return -1;
        }
        return negative ? (int) -v : (int) v;
    }

    private static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) {
                throw new EOFException("the file ended at byte " + at);
            }
            at += n;
        }
    }

    /** Little-endian reads through a small buffer, each checked against the file's size first. */
    private static final class Cursor {
        private final FileChannel ch;
        private final long size;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN).limit(0);
        /** The file position of {@code buf}'s first byte. */
        private long bufStart;

        Cursor(FileChannel ch, long size) {
            this.ch = ch;
            this.size = size;
        }

        long position() {
            return bufStart + buf.position();
        }

        long u32() throws IOException {
            ensure(4);
            return buf.getInt() & 0xFFFF_FFFFL;
        }

        /** A uint64; values above 2^63 - 1 come back negative. */
        long u64() throws IOException {
            ensure(8);
            return buf.getLong();
        }

        /** A uint64 count or length that must fit in the rest of the file. */
        long count(String what) throws IOException {
            long v = u64();
            if (v < 0 || v > size - position()) {
                throw new EOFException("the " + what + " " + Long.toUnsignedString(v) + " at byte " + (position() - 8)
                        + " is more than the file holds");
            }
            return v;
        }

        byte[] bytes(int n) throws IOException {
            ensure(n);
            byte[] out = new byte[n];
            buf.get(out);
            return out;
        }

        void skip(long n) throws IOException {
            if (n < 0 || n > size - position()) {
                throw new EOFException("the file ends before byte " + position() + " + " + n);
            }
            if (n <= buf.remaining()) {
                buf.position(buf.position() + (int) n);
            } else {
                bufStart = position() + n;
                buf.clear().limit(0);
            }
        }

        /** Makes the next {@code n} bytes (at most the buffer's size) readable. */
        private void ensure(int n) throws IOException {
            if (buf.remaining() >= n) {
                return;
            }
            long at = position();
            if (n > size - at) {
                throw new EOFException("the file ends at byte " + size + ", before " + n + " more bytes at " + at);
            }
            buf.compact(); // the unread bytes, which start at file position 'at', move to the front
            bufStart = at;
            long want = Math.min(buf.capacity(), size - bufStart);
            buf.limit((int) want);
            while (buf.position() < want) {
                int r = ch.read(buf, bufStart + buf.position());
                if (r < 0) {
                    throw new EOFException("the file ended at byte " + (bufStart + buf.position()));
                }
            }
            buf.flip();
        }
    }
}
