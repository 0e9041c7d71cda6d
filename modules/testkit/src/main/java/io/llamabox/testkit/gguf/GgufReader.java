package io.llamabox.testkit.gguf;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the header, metadata and tensor infos of GGUF version 2 and 3 files, and tensor data on request. */
public final class GgufReader {

    private static final long MAX_STRING_BYTES = 1L << 30;
    private static final long MAX_ARRAY_ELEMENTS = 1L << 28;

    private GgufReader() {
    }

    /** Reads everything but the tensor data. */
    public static GgufFile read(Path path) throws IOException {
        try (InputStream raw = Files.newInputStream(path); Le in = new Le(new BufferedInputStream(raw, 1 << 16))) {
            int magic = in.i32();
            if (magic != GgufWriter.MAGIC) {
                throw new IOException(path + " is not a GGUF file (magic " + Integer.toHexString(magic) + ")");
            }
            int version = in.i32();
            if (version != 2 && version != 3) {
                throw new IOException("unsupported GGUF version " + version);
            }
            long nTensors = in.i64();
            long nKv = in.i64();
            if (nTensors < 0 || nKv < 0 || nTensors > MAX_ARRAY_ELEMENTS || nKv > MAX_ARRAY_ELEMENTS) {
                throw new IOException("implausible counts: " + nTensors + " tensors, " + nKv + " keys");
            }
            Map<String, GgufValue> metadata = new LinkedHashMap<>();
            for (long i = 0; i < nKv; i++) {
                String key = in.string();
                GgufValueType type = GgufValueType.ofId(in.i32());
                GgufValue value = readValue(in, type);
                if (metadata.put(key, value) != null) {
                    throw new IOException("duplicate metadata key " + key);
                }
            }
            int alignment = GgufWriter.DEFAULT_ALIGNMENT;
            GgufValue a = metadata.get(GgufWriter.ALIGNMENT_KEY);
            if (a != null) {
                alignment = a.asInt();
            }
            List<GgufTensorInfo> tensors = new ArrayList<>();
            for (long i = 0; i < nTensors; i++) {
                String name = in.string();
                int nDims = in.i32();
                if (nDims < 1 || nDims > 4) {
                    throw new IOException("tensor " + name + " has " + nDims + " dimensions");
                }
                long[] dims = new long[nDims];
                for (int d = 0; d < nDims; d++) {
                    dims[d] = in.i64();
                }
                GgmlType type = GgmlType.ofId(in.i32());
                long offset = in.i64();
                if (offset % alignment != 0) {
                    throw new IOException("tensor " + name + " offset " + offset + " is not aligned to " + alignment);
                }
                tensors.add(new GgufTensorInfo(name, type, dims, offset));
            }
            long dataOffset = GgufWriter.align(in.position, alignment);
            return new GgufFile(version, metadata, tensors, alignment, dataOffset);
        }
    }

    /** The encoded bytes of one tensor. */
    public static byte[] readTensorBytes(Path path, GgufFile file, GgufTensorInfo tensor) throws IOException {
        long size = tensor.byteSize();
        if (size > Integer.MAX_VALUE - 16) {
            throw new IOException("tensor " + tensor.name() + " is too large to read at once");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long pos = file.dataOffset() + tensor.offset();
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos + buf.position());
                if (n < 0) {
                    throw new EOFException("tensor " + tensor.name() + " runs past the end of the file");
                }
            }
        }
        return buf.array();
    }

    /** The values of one tensor, decoded to floats. */
    public static float[] readTensorFloats(Path path, GgufFile file, GgufTensorInfo tensor) throws IOException {
        byte[] bytes = readTensorBytes(path, file, tensor);
        int n = Math.toIntExact(tensor.elementCount());
        float[] out = new float[n];
        tensor.type().decode(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), out, n);
        return out;
    }

    private static GgufValue readValue(Le in, GgufValueType type) throws IOException {
        if (type == GgufValueType.ARRAY) {
            GgufValueType elementType = GgufValueType.ofId(in.i32());
            long n = in.i64();
            if (n < 0 || n > MAX_ARRAY_ELEMENTS) {
                throw new IOException("implausible array length " + n);
            }
            List<Object> list = new ArrayList<>((int) n);
            for (long i = 0; i < n; i++) {
                if (elementType == GgufValueType.ARRAY) {
                    list.add(readValue(in, GgufValueType.ARRAY));
                } else {
                    list.add(readScalar(in, elementType));
                }
            }
            return new GgufValue(GgufValueType.ARRAY, elementType, list);
        }
        return new GgufValue(type, null, readScalar(in, type));
    }

    private static Object readScalar(Le in, GgufValueType type) throws IOException {
        return switch (type) {
            case UINT8 -> (long) in.u8();
            case INT8 -> (long) (byte) in.u8();
            case UINT16 -> (long) (in.i16() & 0xFFFF);
            case INT16 -> (long) in.i16();
            case UINT32 -> in.i32() & 0xFFFF_FFFFL;
            case INT32 -> (long) in.i32();
            case UINT64, INT64 -> in.i64();
            case FLOAT32 -> Float.intBitsToFloat(in.i32());
            case FLOAT64 -> Double.longBitsToDouble(in.i64());
            case BOOL -> {
                int b = in.u8();
                if (b > 1) {
                    throw new IOException("invalid bool byte " + b);
                }
                yield b == 1;
            }
            case STRING -> in.string();
            case ARRAY -> throw new IllegalStateException("arrays are read by readValue");
        };
    }

    /** A little-endian reader that counts its position. */
    private static final class Le implements AutoCloseable {
        final InputStream in;
        long position;

        Le(InputStream in) {
            this.in = in;
        }

        int u8() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("unexpected end of GGUF header at " + position);
            }
            position++;
            return b;
        }

        short i16() throws IOException {
            return (short) (u8() | u8() << 8);
        }

        int i32() throws IOException {
            return u8() | u8() << 8 | u8() << 16 | u8() << 24;
        }

        long i64() throws IOException {
            return (i32() & 0xFFFF_FFFFL) | (long) i32() << 32;
        }

        String string() throws IOException {
            long n = i64();
            if (n < 0 || n > MAX_STRING_BYTES) {
                throw new IOException("implausible string length " + n);
            }
            byte[] b = in.readNBytes((int) n);
            if (b.length != n) {
                throw new EOFException("unexpected end of GGUF header in a string at " + position);
            }
            position += n;
            return new String(b, StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
