package io.llamabox.testkit.gguf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GgufWriterTest {

    @TempDir
    Path dir;

    private static Map<String, GgufValue> everyValueType() {
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put("t.uint8", GgufValue.uint8(255));
        m.put("t.int8", GgufValue.int8(-128));
        m.put("t.uint16", GgufValue.uint16(65535));
        m.put("t.int16", GgufValue.int16(-32768));
        m.put("t.uint32", GgufValue.uint32(0xFFFF_FFFFL));
        m.put("t.int32", GgufValue.int32(Integer.MIN_VALUE));
        m.put("t.uint64", GgufValue.uint64(-1L));
        m.put("t.int64", GgufValue.int64(Long.MIN_VALUE));
        m.put("t.float32", GgufValue.float32(-1.5e-7f));
        m.put("t.float64", GgufValue.float64(Math.PI));
        m.put("t.bool.true", GgufValue.bool(true));
        m.put("t.bool.false", GgufValue.bool(false));
        m.put("t.string", GgufValue.string("h\u00e9llo \u2581w\u00f6rld \uD83D\uDE00\n"));
        m.put("t.string.empty", GgufValue.string(""));
        m.put("t.array.uint8", GgufValue.array(GgufValueType.UINT8, List.of(0L, 7L, 255L)));
        m.put("t.array.int8", GgufValue.array(GgufValueType.INT8, List.of(-128L, 127L)));
        m.put("t.array.uint16", GgufValue.array(GgufValueType.UINT16, List.of(1L, 65535L)));
        m.put("t.array.int16", GgufValue.array(GgufValueType.INT16, List.of(-2L, 300L)));
        m.put("t.array.uint32", GgufValue.array(GgufValueType.UINT32, List.of(4_000_000_000L)));
        m.put("t.array.int32", GgufValue.int32Array(new int[] {1, -1, 3, Integer.MAX_VALUE}));
        m.put("t.array.uint64", GgufValue.array(GgufValueType.UINT64, List.of(Long.MAX_VALUE, -2L)));
        m.put("t.array.int64", GgufValue.array(GgufValueType.INT64, List.of(-5L)));
        m.put("t.array.float32", GgufValue.float32Array(new float[] {0f, -0f, 1e30f, Float.MIN_VALUE}));
        m.put("t.array.float64", GgufValue.array(GgufValueType.FLOAT64, List.of(1e-300, -2.5)));
        m.put("t.array.bool", GgufValue.array(GgufValueType.BOOL, List.of(true, false, true)));
        m.put("t.array.string", GgufValue.stringArray(List.of("<s>", "", "\u2581the", "a b")));
        m.put("t.array.empty", GgufValue.array(GgufValueType.INT32, List.of()));
        m.put("t.array.nested", GgufValue.array(GgufValueType.ARRAY, List.of(
                GgufValue.stringArray(List.of("x", "y")),
                GgufValue.array(GgufValueType.UINT8, List.of(1L)))));
        return m;
    }

    @Test
    void roundTripsEveryMetadataValueTypeInOrder() throws IOException {
        GgufWriter w = new GgufWriter();
        Map<String, GgufValue> values = everyValueType();
        values.forEach(w::put);
        Path f = dir.resolve("meta.gguf");
        w.write(f);

        GgufFile read = GgufReader.read(f);
        assertEquals(3, read.version());
        assertEquals(new ArrayList<>(values.keySet()), new ArrayList<>(read.metadata().keySet()));
        assertEquals(values, read.metadata());
        assertEquals(0xFFFF_FFFFL, read.require("t.uint32").asLong());
        assertEquals(-1L, read.require("t.uint64").asLong());
        assertEquals(List.of("x", "y"), ((GgufValue) read.require("t.array.nested").asList().getFirst()).asStringList());
        assertTrue(read.tensors().isEmpty());
    }

    @Test
    void writesTheHeaderFieldsLittleEndian() throws IOException {
        GgufWriter w = new GgufWriter().putUint32("k", 7);
        w.addTensor("t", GgmlType.F32, new long[] {2}, TensorSource.of(1f, 2f));
        Path f = dir.resolve("h.gguf");
        w.write(f);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals('G', b.get(0));
        assertEquals('G', b.get(1));
        assertEquals('U', b.get(2));
        assertEquals('F', b.get(3));
        assertEquals(3, b.getInt(4));
        assertEquals(1L, b.getLong(8), "tensor count");
        assertEquals(1L, b.getLong(16), "metadata count");
        assertEquals(1L, b.getLong(24), "key length");
        assertEquals('k', b.get(32));
        assertEquals(GgufValueType.UINT32.id(), b.getInt(33));
        assertEquals(7, b.getInt(37));
    }

    @Test
    void alignsTheDataSectionAndEveryTensor() throws IOException {
        for (int alignment : new int[] {32, 64, 256}) {
            GgufWriter w = new GgufWriter();
            if (alignment != GgufWriter.DEFAULT_ALIGNMENT) {
                w.alignment(alignment);
            }
            w.putString("general.name", "x".repeat(alignment / 3));
            w.addTensor("a", GgmlType.F32, new long[] {3}, TensorSource.of(1f, 2f, 3f));
            w.addTensor("b", GgmlType.F16, new long[] {5, 1}, TensorSource.of(1f, 2f, 3f, 4f, 5f));
            w.addTensor("c", GgmlType.Q8_0, new long[] {32, 2}, TensorSource.constant(0.25f));
            w.addTensor("d", GgmlType.F32, new long[] {1, 1, 1, 1}, TensorSource.of(9f));
            Path f = dir.resolve("a" + alignment + ".gguf");
            long size = w.write(f);

            GgufFile read = GgufReader.read(f);
            assertEquals(alignment, read.alignment());
            assertEquals(0, read.dataOffset() % alignment, "data section offset");
            assertEquals(w.tensorInfos(), read.tensors());
            long previousEnd = 0;
            for (GgufTensorInfo t : read.tensors()) {
                assertEquals(0, t.offset() % alignment, t.name());
                assertTrue(t.offset() >= previousEnd, t.name() + " overlaps the tensor before it");
                previousEnd = t.offset() + t.byteSize();
            }
            assertEquals(size, Files.size(f));
            assertEquals(0, (size - read.dataOffset()) % alignment, "the last tensor is padded too");
            assertArrayEquals(new float[] {1f, 2f, 3f}, GgufReader.readTensorFloats(f, read, read.tensor("a").orElseThrow()));
            assertArrayEquals(new float[] {1f, 2f, 3f, 4f, 5f},
                    GgufReader.readTensorFloats(f, read, read.tensor("b").orElseThrow()));
            assertArrayEquals(new float[] {9f}, GgufReader.readTensorFloats(f, read, read.tensor("d").orElseThrow()));
            assertArrayEquals(new long[] {1, 1, 1, 1}, read.tensor("d").orElseThrow().dims());
        }
    }

    @Test
    void encodesQ8_0BlocksAsAnFp16ScaleAndRoundedBytes() throws IOException {
        float[] x = new float[64];
        // block 0: max |x| = 127, so d = 1 and the bytes are x rounded half away from zero
        float[] first = {127f, -127f, 2.5f, -2.5f, 0.49f, -0.5f, 1.5f, 126.6f, 3f};
        System.arraycopy(first, 0, x, 0, first.length);
        // block 1: max |x| = 63.5, so d = 0.5 and the bytes are 2x rounded
        float[] second = {63.5f, 1.25f, -0.75f, 0.2f, -63.5f};
        System.arraycopy(second, 0, x, 32, second.length);
        GgufWriter w = new GgufWriter();
        w.addTensor("q", GgmlType.Q8_0, new long[] {64}, TensorSource.of(x));
        w.addTensor("zero", GgmlType.Q8_0, new long[] {32}, TensorSource.constant(0f));
        Path f = dir.resolve("q.gguf");
        w.write(f);
        GgufFile read = GgufReader.read(f);

        byte[] q = GgufReader.readTensorBytes(f, read, read.tensor("q").orElseThrow());
        assertEquals(68, q.length);
        ByteBuffer b = ByteBuffer.wrap(q).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals((short) 0x3C00, b.getShort(0), "fp16 1.0");
        byte[] expectedFirst = {127, -127, 3, -3, 0, -1, 2, 127, 3};
        assertArrayEquals(expectedFirst, Arrays.copyOfRange(q, 2, 2 + expectedFirst.length));
        for (int j = expectedFirst.length; j < 32; j++) {
            assertEquals(0, q[2 + j]);
        }
        assertEquals((short) 0x3800, b.getShort(34), "fp16 0.5");
        byte[] expectedSecond = {127, 3, -2, 0, -127};
        assertArrayEquals(expectedSecond, Arrays.copyOfRange(q, 36, 36 + expectedSecond.length));

        byte[] zero = GgufReader.readTensorBytes(f, read, read.tensor("zero").orElseThrow());
        assertArrayEquals(new byte[34], zero, "an all-zero block has scale 0 and zero bytes");

        float[] back = GgufReader.readTensorFloats(f, read, read.tensor("q").orElseThrow());
        assertEquals(3f, back[2]);
        assertEquals(-1f, back[34]);
    }

    @Test
    void encodesF16WithIeeeHalfBits() throws IOException {
        GgufWriter w = new GgufWriter();
        w.addTensor("h", GgmlType.F16, new long[] {5}, TensorSource.of(1f, -2f, 65504f, 0.1f, 0f));
        Path f = dir.resolve("h.gguf");
        w.write(f);
        GgufFile read = GgufReader.read(f);
        ByteBuffer b = ByteBuffer.wrap(GgufReader.readTensorBytes(f, read, read.tensors().getFirst()))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals((short) 0x3C00, b.getShort());
        assertEquals((short) 0xC000, b.getShort());
        assertEquals((short) 0x7BFF, b.getShort());
        assertEquals((short) 0x2E66, b.getShort());
        assertEquals((short) 0x0000, b.getShort());
    }

    @Test
    void streamsTensorsLargerThanOneChunk() throws IOException {
        int n = 200_000 + 32 * 7;
        TensorSource ramp = (start, dst, count) -> {
            for (int i = 0; i < count; i++) {
                dst[i] = (float) ((start + i) % 1000);
            }
        };
        GgufWriter w = new GgufWriter();
        w.addTensor("big", GgmlType.F32, new long[] {32, n / 32}, ramp);
        Path f = dir.resolve("big.gguf");
        w.write(f);
        GgufFile read = GgufReader.read(f);
        float[] back = GgufReader.readTensorFloats(f, read, read.tensors().getFirst());
        assertEquals(n, back.length);
        for (int i = 0; i < n; i++) {
            if (back[i] != i % 1000) {
                throw new AssertionError("element " + i + " is " + back[i]);
            }
        }
    }

    @Test
    void sameCallsGiveByteIdenticalFiles() throws IOException {
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        for (Path p : List.of(a, b)) {
            GgufWriter w = new GgufWriter();
            everyValueType().forEach(w::put);
            w.addTensor("t", GgmlType.Q8_0, new long[] {64, 3}, (start, dst, count) -> {
                for (int i = 0; i < count; i++) {
                    dst[i] = (float) Math.sin(start + i);
                }
            });
            w.write(p);
        }
        assertEquals(-1L, Files.mismatch(a, b));
    }

    @Test
    void encodesQ4_0BlocksAsAnFp16ScaleAndNibblesOfBothHalves() throws IOException {
        // x = j - 16: the value of largest magnitude is -16, so d = -16 / -8 = 2 and a code is trunc(x / 2 + 8.5)
        float[] x = new float[64];
        for (int j = 0; j < 32; j++) {
            x[j] = j - 16;
        }
        // block 1: the largest magnitude is positive, so d is negative
        x[32] = 4f;
        x[33] = -1f;
        x[48] = 2f;
        GgufWriter w = new GgufWriter();
        w.addTensor("q", GgmlType.Q4_0, new long[] {64}, TensorSource.of(x));
        w.addTensor("zero", GgmlType.Q4_0, new long[] {32}, TensorSource.constant(0f));
        Path f = dir.resolve("q4.gguf");
        w.write(f);
        GgufFile read = GgufReader.read(f);

        byte[] q = GgufReader.readTensorBytes(f, read, read.tensor("q").orElseThrow());
        assertEquals(36, q.length);
        ByteBuffer b = ByteBuffer.wrap(q).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals((short) 0x4000, b.getShort(0), "fp16 2.0");
        for (int j = 0; j < 16; j++) {
            int lo = (int) ((j - 16) / 2f + 8.5f);
            int hi = Math.min(15, (int) (j / 2f + 8.5f));
            assertEquals(lo | hi << 4, q[2 + j] & 0xFF, "byte " + j);
        }
        assertEquals((short) 0xB800, b.getShort(18), "fp16 -0.5");
        assertEquals(0 | 4 << 4, q[20] & 0xFF, "4 is the code 0, 2 the code 4");
        assertEquals(10 | 8 << 4, q[21] & 0xFF, "-1 is the code 10");

        byte[] zero = GgufReader.readTensorBytes(f, read, read.tensor("zero").orElseThrow());
        byte[] expectedZero = new byte[18];
        expectedZero[1] = (byte) 0x80;
        Arrays.fill(expectedZero, 2, 18, (byte) 0x88);
        assertArrayEquals(expectedZero, zero, "an all-zero block has scale -0 (0 / -8, as in ggml) and the code 8 everywhere");

        float[] back = GgufReader.readTensorFloats(f, read, read.tensor("q").orElseThrow());
        for (int j = 0; j < 32; j++) {
            assertEquals(x[j], back[j], 1f, "within half a step of 2");
        }
        assertEquals(4f, back[32]);
        assertEquals(-1f, back[33]);
        assertEquals(2f, back[48]);
        assertEquals(0f, back[63], 0f);
    }

    @Test
    void nameLimitFollowsTheReadingGgml() {
        String longName = "model.diffusion_model.output_blocks.11.1.transformer_blocks.0.attn1.to_out.0.weight";
        assertThrows(IllegalArgumentException.class,
                () -> new GgufWriter().addTensor(longName, GgmlType.F32, new long[] {1}, TensorSource.constant(0f)));
        GgufWriter w = new GgufWriter().maxNameBytes(GgufWriter.DIFFUSION_MAX_NAME_BYTES);
        w.addTensor(longName, GgmlType.F32, new long[] {1}, TensorSource.constant(0f));
        assertThrows(IllegalArgumentException.class,
                () -> w.addTensor("x".repeat(128), GgmlType.F32, new long[] {1}, TensorSource.constant(0f)));
    }

    @Test
    void rejectsWhatGgmlCannotLoad() {
        GgufWriter w = new GgufWriter();
        assertThrows(IllegalArgumentException.class, () -> w.alignment(48));
        assertThrows(IllegalArgumentException.class, () -> w.put(GgufWriter.ALIGNMENT_KEY, GgufValue.int32(32)));
        assertThrows(IllegalArgumentException.class,
                () -> w.addTensor("q", GgmlType.Q8_0, new long[] {48}, TensorSource.constant(0f)));
        assertThrows(IllegalArgumentException.class,
                () -> w.addTensor("x".repeat(64), GgmlType.F32, new long[] {1}, TensorSource.constant(0f)));
        assertThrows(IllegalArgumentException.class,
                () -> w.addTensor("five", GgmlType.F32, new long[] {1, 1, 1, 1, 1}, TensorSource.constant(0f)));
        assertThrows(IllegalArgumentException.class,
                () -> w.addRawTensor("raw", GgmlType.F32, new long[] {2}, new byte[7]));
        w.addTensor("t", GgmlType.F32, new long[] {1}, TensorSource.constant(0f));
        assertThrows(IllegalArgumentException.class,
                () -> w.addTensor("t", GgmlType.F32, new long[] {1}, TensorSource.constant(0f)));
        assertThrows(IllegalArgumentException.class, () -> GgufValue.uint8(256));
        assertThrows(IllegalArgumentException.class, () -> GgufValue.uint32(-1));
        assertThrows(IllegalArgumentException.class,
                () -> GgufValue.array(GgufValueType.STRING, List.of("a", 1L)));
    }

    @Test
    void readerRejectsFilesThatAreNotGguf() throws IOException {
        Path f = dir.resolve("not.gguf");
        Files.write(f, new byte[] {'G', 'G', 'M', 'L', 3, 0, 0, 0});
        assertThrows(IOException.class, () -> GgufReader.read(f));
        Path truncated = dir.resolve("truncated.gguf");
        GgufWriter w = new GgufWriter().putString("general.name", "cut");
        Path full = dir.resolve("full.gguf");
        w.write(full);
        byte[] all = Files.readAllBytes(full);
        Files.write(truncated, Arrays.copyOf(all, 30));
        assertThrows(IOException.class, () -> GgufReader.read(truncated));
    }

    @Test
    void rawTensorBytesAreWrittenVerbatim() throws IOException {
        byte[] raw = new byte[34];
        raw[0] = 0x00;
        raw[1] = 0x3C;
        for (int i = 2; i < 34; i++) {
            raw[i] = (byte) (i - 18);
        }
        GgufWriter w = new GgufWriter();
        w.addRawTensor("r", GgmlType.Q8_0, new long[] {32}, raw);
        Path f = dir.resolve("raw.gguf");
        w.write(f);
        GgufFile read = GgufReader.read(f);
        assertArrayEquals(raw, GgufReader.readTensorBytes(f, read, read.tensors().getFirst()));
        assertEquals(-16f, GgufReader.readTensorFloats(f, read, read.tensors().getFirst())[0]);
    }
}
