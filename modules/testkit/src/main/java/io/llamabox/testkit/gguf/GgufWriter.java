package io.llamabox.testkit.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes GGUF version 3 files.
 *
 * <p>Metadata and tensor declarations are collected first; {@link #write(Path)} then streams the
 * header, the metadata, the tensor infos and the tensor data to disk. Tensor values come from
 * {@link TensorSource}s that are asked for one chunk at a time, so a model of a few hundred MB is
 * never held in memory. Metadata keys keep their insertion order and tensors their declaration order:
 * the same calls give a byte-identical file.
 *
 * <p>The alignment of the data section and of every tensor is {@value #DEFAULT_ALIGNMENT} bytes unless
 * {@code general.alignment} (a UINT32 power of two) says otherwise; {@link #alignment(int)} sets it.
 */
public final class GgufWriter {

    /** GGUF's default alignment. */
    public static final int DEFAULT_ALIGNMENT = 32;
    /** "GGUF" read as a little-endian uint32. */
    public static final int MAGIC = 0x46554747;
    public static final int VERSION = 3;
    /** ggml's default limit on tensor name length, including the terminating NUL (llama.cpp's build). */
    public static final int MAX_NAME_BYTES = 64;
    /**
     * The name limit stable-diffusion.cpp needs of the ggml it is built with (it refuses less), enough
     * for checkpoint names such as {@code model.diffusion_model.output_blocks.11.1.transformer_blocks.0.attn1.to_out.0.weight}.
     */
    public static final int DIFFUSION_MAX_NAME_BYTES = 128;
    public static final String ALIGNMENT_KEY = "general.alignment";

    private static final int CHUNK_ELEMENTS = 64 * 1024;
    private static final int BUFFER_BYTES = 1 << 20;

    private record PendingTensor(String name, GgmlType type, long[] dims, TensorSource source, byte[] raw) {
    }

    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();
    private final Set<String> tensorNames = new HashSet<>();
    private int maxNameBytes = MAX_NAME_BYTES;

    /**
     * Sets the limit on tensor name length, including the terminating NUL, that the reading ggml was built
     * with ({@value #MAX_NAME_BYTES} unless changed); longer names are refused when declared.
     */
    public GgufWriter maxNameBytes(int bytes) {
        if (bytes < 2) {
            throw new IllegalArgumentException("a name limit must leave room for one byte and the NUL, got " + bytes);
        }
        maxNameBytes = bytes;
        return this;
    }

    /** Sets a metadata value; a key set twice keeps its first position and its last value. */
    public GgufWriter put(String key, GgufValue value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("empty metadata key");
        }
        if (key.equals(ALIGNMENT_KEY)) {
            if (value.type() != GgufValueType.UINT32) {
                throw new IllegalArgumentException(ALIGNMENT_KEY + " must be UINT32");
            }
            long a = value.asLong();
            if (a == 0 || (a & (a - 1)) != 0) {
                throw new IllegalArgumentException(ALIGNMENT_KEY + " must be a power of two, got " + a);
            }
        }
        metadata.put(key, value);
        return this;
    }

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValue.string(value));
    }

    public GgufWriter putUint32(String key, long value) {
        return put(key, GgufValue.uint32(value));
    }

    public GgufWriter putInt32(String key, int value) {
        return put(key, GgufValue.int32(value));
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, GgufValue.float32(value));
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValue.bool(value));
    }

    public GgufWriter putStringArray(String key, List<String> value) {
        return put(key, GgufValue.stringArray(value));
    }

    /** Sets {@code general.alignment}. */
    public GgufWriter alignment(int alignment) {
        return put(ALIGNMENT_KEY, GgufValue.uint32(alignment));
    }

    /** The alignment the file will use. */
    public int alignment() {
        GgufValue v = metadata.get(ALIGNMENT_KEY);
        return v == null ? DEFAULT_ALIGNMENT : v.asInt();
    }

    /** The metadata collected so far, in file order. */
    public Map<String, GgufValue> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /**
     * Declares a tensor whose values {@code source} produces when the file is written.
     *
     * @param dims dimensions in ggml order ({@code ne[0]} first)
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, TensorSource source) {
        Objects.requireNonNull(source, "source");
        declare(name, type, dims, source, null);
        return this;
    }

    /** Declares a tensor from already encoded bytes, which must have exactly the tensor's size. */
    public GgufWriter addRawTensor(String name, GgmlType type, long[] dims, byte[] encoded) {
        Objects.requireNonNull(encoded, "encoded");
        declare(name, type, dims, null, encoded.clone());
        return this;
    }

    private void declare(String name, GgmlType type, long[] dims, TensorSource source, byte[] raw) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length >= maxNameBytes) {
            throw new IllegalArgumentException("tensor name must have 1 to " + (maxNameBytes - 1) + " bytes: " + name);
        }
        GgufTensorInfo info = new GgufTensorInfo(name, type, dims, 0);
        if (raw != null && raw.length != info.byteSize()) {
            throw new IllegalArgumentException("tensor " + name + " needs " + info.byteSize() + " bytes, got " + raw.length);
        }
        if (!tensorNames.add(name)) {
            throw new IllegalArgumentException("duplicate tensor " + name);
        }
        tensors.add(new PendingTensor(name, type, dims.clone(), source, raw));
    }

    /** The tensor infos as they will be written, offsets included. */
    public List<GgufTensorInfo> tensorInfos() {
        int alignment = alignment();
        List<GgufTensorInfo> infos = new ArrayList<>(tensors.size());
        long offset = 0;
        for (PendingTensor t : tensors) {
            GgufTensorInfo info = new GgufTensorInfo(t.name, t.type, t.dims, offset);
            infos.add(info);
            offset = align(offset + info.byteSize(), alignment);
        }
        return infos;
    }

    /** Writes the file, replacing {@code path} if it exists, and returns its size in bytes. */
    public long write(Path path) throws IOException {
        int alignment = alignment();
        List<GgufTensorInfo> infos = tensorInfos();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Out out = new Out(ch);
            out.u32(MAGIC);
            out.u32(VERSION);
            out.u64(infos.size());
            out.u64(metadata.size());
            for (Map.Entry<String, GgufValue> e : metadata.entrySet()) {
                out.string(e.getKey());
                out.u32(e.getValue().type().id());
                writeValue(out, e.getValue().type(), e.getValue().elementType(), e.getValue().value());
            }
            for (GgufTensorInfo info : infos) {
                out.string(info.name());
                long[] dims = info.dims();
                out.u32(dims.length);
                for (long d : dims) {
                    out.u64(d);
                }
                out.u32(info.type().id());
                out.u64(info.offset());
            }
            out.pad(alignment);
            long dataStart = out.position();
            float[] chunk = new float[CHUNK_ELEMENTS];
            for (int i = 0; i < infos.size(); i++) {
                GgufTensorInfo info = infos.get(i);
                PendingTensor t = tensors.get(i);
                if (out.position() - dataStart != info.offset()) {
                    throw new IllegalStateException("tensor " + info.name() + " is misplaced");
                }
                if (t.raw != null) {
                    out.bytes(t.raw);
                } else {
                    writeData(out, info, t.source, chunk);
                }
                out.pad(alignment);
            }
            out.flush();
            return out.position();
        }
    }

    private static void writeData(Out out, GgufTensorInfo info, TensorSource source, float[] chunk) throws IOException {
        long n = info.elementCount();
        GgmlType type = info.type();
        for (long start = 0; start < n; start += CHUNK_ELEMENTS) {
            int count = (int) Math.min(CHUNK_ELEMENTS, n - start);
            source.fill(start, chunk, count);
            out.ensure((int) type.byteSize(count));
            type.encode(chunk, count, out.buf);
        }
    }

    private static void writeValue(Out out, GgufValueType type, GgufValueType elementType, Object v) throws IOException {
        switch (type) {
            case UINT8, INT8 -> out.u8((int) (long) (Long) v);
            case BOOL -> out.u8((Boolean) v ? 1 : 0);
            case UINT16, INT16 -> {
                out.ensure(2);
                out.buf.putShort((short) (long) (Long) v);
            }
            case UINT32, INT32 -> out.u32((int) (long) (Long) v);
            case UINT64, INT64 -> out.u64((Long) v);
            case FLOAT32 -> {
                out.ensure(4);
                out.buf.putFloat((Float) v);
            }
            case FLOAT64 -> {
                out.ensure(8);
                out.buf.putDouble((Double) v);
            }
            case STRING -> out.string((String) v);
            case ARRAY -> {
                List<?> list = (List<?>) v;
                out.u32(elementType.id());
                out.u64(list.size());
                for (Object element : list) {
                    if (elementType == GgufValueType.ARRAY) {
                        GgufValue nested = (GgufValue) element;
                        writeValue(out, GgufValueType.ARRAY, nested.elementType(), nested.value());
                    } else {
                        writeValue(out, elementType, null, element);
                    }
                }
            }
        }
    }

    static long align(long x, int alignment) {
        return (x + alignment - 1) / alignment * alignment;
    }

    /** A little-endian buffered writer over a channel that counts its position. */
    private static final class Out {
        final FileChannel ch;
        final ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        long flushed;

        Out(FileChannel ch) {
            this.ch = ch;
        }

        long position() {
            return flushed + buf.position();
        }

        void ensure(int n) throws IOException {
            if (buf.remaining() < n) {
                flush();
            }
        }

        void flush() throws IOException {
            buf.flip();
            while (buf.hasRemaining()) {
                flushed += ch.write(buf);
            }
            buf.clear();
        }

        void u8(int v) throws IOException {
            ensure(1);
            buf.put((byte) v);
        }

        void u32(int v) throws IOException {
            ensure(4);
            buf.putInt(v);
        }

        void u64(long v) throws IOException {
            ensure(8);
            buf.putLong(v);
        }

        void bytes(byte[] b) throws IOException {
            int off = 0;
            while (off < b.length) {
                if (!buf.hasRemaining()) {
                    flush();
                }
                int n = Math.min(buf.remaining(), b.length - off);
                buf.put(b, off, n);
                off += n;
            }
        }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            bytes(b);
        }

        void pad(int alignment) throws IOException {
            long p = position();
            long target = align(p, alignment);
            for (long i = p; i < target; i++) {
                u8(0);
            }
        }
    }
}
