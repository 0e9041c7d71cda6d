package io.llamabox.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.testkit.gguf.GgmlType;
import io.llamabox.testkit.gguf.GgufValue;
import io.llamabox.testkit.gguf.GgufValueType;
import io.llamabox.testkit.gguf.GgufWriter;
import io.llamabox.testkit.gguf.TensorSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Control-vector files are read, scaled and summed as llama.cpp does; bad or hostile files are refused clearly. */
class ControlVectorsTest {
    private static final int EMBD = 8;
    private static final int LAYERS = 4;
    /** Where a GgufWriter file without metadata keeps its first tensor's name length. */
    private static final int FIRST_NAME_LENGTH_AT = 24;

    @TempDir
    Path dir;

    private static float[] values(long seed) {
        Random r = new Random(seed);
        float[] v = new float[EMBD];
        for (int i = 0; i < EMBD; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }

    private GgufWriter directions(int... layers) {
        GgufWriter w = new GgufWriter();
        for (int layer : layers) {
            w.addTensor("direction." + layer, GgmlType.F32, new long[] {EMBD}, TensorSource.of(values(layer)));
        }
        return w;
    }

    private Path write(String name, GgufWriter w) throws IOException {
        Path p = dir.resolve(name);
        w.write(p);
        return p;
    }

    private static float[] load(Path file, float scale) {
        return new ControlVectors(List.of(new ControlVectors.Source(file, scale)), 0, 0).load(EMBD, LAYERS);
    }

    private static ControlVectorException refused(Path file) {
        return assertThrows(ControlVectorException.class, () -> load(file, 1f));
    }

    private static void assertRefused(Path file, String why) {
        ControlVectorException e = refused(file);
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(why), e.getMessage());
    }

    private static void patch(Path file, int at, long value, int bytes) throws IOException {
        byte[] b = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes == 8) {
            buf.putLong(at, value);
        } else {
            buf.putInt(at, (int) value);
        }
        Files.write(file, b);
    }

    /** The position of the first tensor's type field in a file without metadata whose tensors have one dimension. */
    private static int firstTypeAt(String name) {
        return FIRST_NAME_LENGTH_AT + 8 + name.getBytes(StandardCharsets.UTF_8).length + 4 + 8;
    }

    @Test
    void eachFileIsScaledAndTheFilesAreSummedPerLayerWithMissingLayersZero() throws Exception {
        Path a = write("a.gguf", directions(1, 3));
        GgufWriter wb = new GgufWriter();
        float[] b1 = values(101);
        float[] b2 = values(102);
        wb.addTensor("direction.1", GgmlType.F32, new long[] {EMBD}, TensorSource.of(b1));
        wb.addTensor("direction.2", GgmlType.F32, new long[] {EMBD}, TensorSource.of(b2));
        Path b = write("b.gguf", wb);

        float[] got = new ControlVectors(List.of(new ControlVectors.Source(a, 0.5f), new ControlVectors.Source(b, -2f)), 0, 0)
                .load(EMBD, LAYERS);

        float[] want = new float[EMBD * LAYERS];
        float[] a1 = values(1);
        float[] a3 = values(3);
        for (int j = 0; j < EMBD; j++) {
            want[j] = a1[j] * 0.5f + b1[j] * -2f;
            want[EMBD + j] = b2[j] * -2f;
            want[2 * EMBD + j] = a3[j] * 0.5f;
        }
        assertArrayEquals(want, got);
        assertEquals(0f, got[3 * EMBD], "layer 4 is in no file");
    }

    @Test
    void twoTensorsOfOneLayerAddAndLayersPastTheModelAreIgnored() throws Exception {
        GgufWriter w = new GgufWriter();
        w.addTensor("direction.2", GgmlType.F32, new long[] {EMBD}, TensorSource.of(values(1)));
        // llama.cpp reads the layer like std::stoi: "02" and "2x" are layer 2 as well
        w.addTensor("direction.02", GgmlType.F32, new long[] {EMBD}, TensorSource.of(values(2)));
        w.addTensor("direction.2x", GgmlType.F32, new long[] {EMBD, 1}, TensorSource.of(values(3)));
        w.addTensor("direction.2000000000", GgmlType.F32, new long[] {EMBD}, TensorSource.of(values(4)));
        float[] got = load(write("same-layer.gguf", w), 1.5f);

        float[] want = new float[EMBD * LAYERS];
        for (int j = 0; j < EMBD; j++) {
            want[EMBD + j] = values(1)[j] * 1.5f + values(2)[j] * 1.5f + values(3)[j] * 1.5f;
        }
        assertArrayEquals(want, got);
    }

    @Test
    void metadataIsSkippedAndTheFilesAlignmentIsHonoured() throws Exception {
        GgufWriter w = directions(1, 2).alignment(128);
        w.putString("general.architecture", "controlvector");
        w.putStringArray("controlvector.notes", List.of("a", "bb", ""));
        w.put("controlvector.layers", GgufValue.int32Array(new int[] {1, 2}));
        w.put("controlvector.big", GgufValue.uint64(Long.MIN_VALUE));
        w.putBool("controlvector.flag", true);
        w.put("controlvector.weights", GgufValue.array(GgufValueType.FLOAT64, List.of(1.0, 2.0)));
        float[] got = load(write("aligned.gguf", w), 1f);
        assertArrayEquals(values(1), Arrays.copyOfRange(got, 0, EMBD));
        assertArrayEquals(values(2), Arrays.copyOfRange(got, EMBD, 2 * EMBD));
    }

    @Test
    void noFilesGiveZeros() {
        assertArrayEquals(new float[EMBD * LAYERS], ControlVectors.none().load(EMBD, LAYERS));
        assertTrue(ControlVectors.none().isEmpty());
    }

    @Test
    void layerNamesAreReadLikeLlamaCpp() {
        assertEquals(7, ControlVectorFile.layerOf("direction.7"));
        assertEquals(3, ControlVectorFile.layerOf("direction. +3"));
        assertEquals(12, ControlVectorFile.layerOf("direction.12.weight"));
        assertEquals(-2, ControlVectorFile.layerOf("direction.-2"));
        assertEquals(0, ControlVectorFile.layerOf("direction.0"));
        assertEquals(-1, ControlVectorFile.layerOf("direction.x"));
        assertEquals(-1, ControlVectorFile.layerOf("direction."));
        assertEquals(-1, ControlVectorFile.layerOf("direction"));
        assertEquals(-1, ControlVectorFile.layerOf("directions.1"));
        assertEquals(-1, ControlVectorFile.layerOf("blk.1.direction"));
        assertEquals(-1, ControlVectorFile.layerOf("direction.99999999999"));
    }

    @Test
    void filesThatAreNotControlVectorsAreRefused() throws Exception {
        assertRefused(dir.resolve("missing.gguf"), "no such file");
        Path text = dir.resolve("text.gguf");
        Files.writeString(text, "hello world\n");
        assertRefused(text, "not a GGUF file");
        Path tiny = dir.resolve("tiny.gguf");
        Files.write(tiny, new byte[] {'G', 'G'});
        assertRefused(tiny, "not a GGUF file");
        assertRefused(dir, "cannot be read");
        assertRefused(write("empty.gguf", new GgufWriter().putString("general.name", "none")), "no direction tensors");
        Path v1 = write("v1.gguf", directions(1));
        patch(v1, 4, 1, 4);
        assertRefused(v1, "version 1");
    }

    @Test
    void tensorsThatAreNotDirectionVectorsOfTheModelAreRefused() throws Exception {
        GgufWriter f16 = new GgufWriter();
        f16.addTensor("direction.1", GgmlType.F16, new long[] {EMBD}, TensorSource.of(values(1)));
        assertRefused(write("f16.gguf", f16), "not F32");

        GgufWriter narrow = new GgufWriter();
        narrow.addTensor("direction.1", GgmlType.F32, new long[] {EMBD / 2}, TensorSource.constant(1));
        assertRefused(write("narrow.gguf", narrow), "n_embd is " + EMBD);

        GgufWriter mixed = directions(1);
        mixed.addTensor("direction.2", GgmlType.F32, new long[] {EMBD * 2}, TensorSource.constant(1));
        assertRefused(write("mixed.gguf", mixed), "direction.2 has " + (EMBD * 2) + " values");

        GgufWriter matrix = new GgufWriter();
        matrix.addTensor("direction.1", GgmlType.F32, new long[] {EMBD / 2, 2}, TensorSource.constant(1));
        assertRefused(write("matrix.gguf", matrix), "not a vector");

        GgufWriter other = directions(1);
        other.addTensor("token_embd.weight", GgmlType.F32, new long[] {EMBD}, TensorSource.constant(1));
        assertRefused(write("other.gguf", other), "not named direction.<layer>");

        assertRefused(write("zero.gguf", directions(0)), "layer 0");

        GgufWriter nan = new GgufWriter();
        float[] v = values(1);
        v[3] = Float.NaN;
        nan.addTensor("direction.1", GgmlType.F32, new long[] {EMBD}, TensorSource.of(v));
        assertRefused(write("nan.gguf", nan), "NaN at index 3");
    }

    @Test
    void damagedAndHostileFilesAreRefusedWithoutLargeAllocations() throws Exception {
        Path good = write("good.gguf", directions(1, 2));
        byte[] bytes = Files.readAllBytes(good);

        Path cut = dir.resolve("cut.gguf");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 1));
        assertRefused(cut, "runs past the end of the file");
        Files.write(cut, Arrays.copyOf(bytes, 30));
        assertRefused(cut, "truncated or damaged");

        Path p = dir.resolve("hostile.gguf");
        Files.write(p, bytes);
        patch(p, 8, Long.MAX_VALUE, 8);
        assertRefused(p, "tensor count");
        Files.write(p, bytes);
        patch(p, 8, -1, 8);
        assertRefused(p, "tensor count 18446744073709551615");
        Files.write(p, bytes);
        patch(p, 8, 1000, 8);
        assertEquals(p, refused(p).file(), "tensor infos read from the data");
        Files.write(p, bytes);
        patch(p, 16, Long.MAX_VALUE, 8);
        assertRefused(p, "metadata count");
        Files.write(p, bytes);
        patch(p, FIRST_NAME_LENGTH_AT, Long.MAX_VALUE / 2, 8);
        assertRefused(p, "tensor name length");
        Files.write(p, bytes);
        patch(p, FIRST_NAME_LENGTH_AT, 100, 8);
        assertRefused(p, "name of 100 bytes");

        int typeAt = firstTypeAt("direction.1");
        int dimsAt = typeAt - 8 - 4;
        Files.write(p, bytes);
        patch(p, dimsAt, 9, 4);
        assertRefused(p, "9 dimensions");
        Files.write(p, bytes);
        patch(p, dimsAt + 4, 1L << 40, 8);
        assertRefused(p, "has " + (1L << 40) + " values");
        Files.write(p, bytes);
        patch(p, dimsAt + 4, -5, 8);
        assertRefused(p, "negative dimension");
        Files.write(p, bytes);
        patch(p, typeAt, 77, 4);
        assertRefused(p, "ggml type 77");
        Files.write(p, bytes);
        patch(p, typeAt + 4, 1L << 50, 8);
        assertRefused(p, "offset " + (1L << 50));

        // a metadata string or array whose length is more than the file holds
        GgufWriter meta = directions(1).putString("general.name", "x");
        Path m = write("meta.gguf", meta);
        byte[] mb = Files.readAllBytes(m);
        int valueAt = FIRST_NAME_LENGTH_AT + 8 + "general.name".length() + 4;
        patch(m, valueAt, Long.MAX_VALUE, 8);
        assertRefused(m, "string length");
        Files.write(m, mb);
        patch(m, valueAt - 4, 42, 4);
        assertRefused(m, "unknown GGUF type 42");

        Path arr = write("array.gguf", directions(1).put("x", GgufValue.int32Array(new int[] {1, 2, 3})));
        byte[] ab = Files.readAllBytes(arr);
        int arrayAt = FIRST_NAME_LENGTH_AT + 8 + 1 + 4;
        patch(arr, arrayAt + 4, Long.MAX_VALUE / 2, 8);
        assertRefused(arr, "array length");
        Files.write(arr, ab);
        patch(arr, arrayAt + 4, 100, 8);
        assertRefused(arr, "does not fit in the file");
        Files.write(arr, ab);
        patch(arr, arrayAt, 9, 4);
        assertRefused(arr, "element type 9");

        Path align = write("align.gguf", directions(1).alignment(64));
        patch(align, FIRST_NAME_LENGTH_AT + 8 + "general.alignment".length() + 4, 48, 4);
        assertRefused(align, "power of two, it is 48");
    }

    @Test
    void theFirstBadFileOfSeveralIsNamed() throws Exception {
        Path good = write("good.gguf", directions(1));
        Path bad = write("bad.gguf", directions(0));
        ControlVectorException e = assertThrows(ControlVectorException.class,
                () -> new ControlVectors(List.of(new ControlVectors.Source(good, 1f), new ControlVectors.Source(bad, 1f)), 0, 0)
                        .load(EMBD, LAYERS));
        assertEquals(bad, e.file());
    }
}
