package io.llamabox.testkit.model;

import io.llamabox.testkit.gguf.GgmlType;
import io.llamabox.testkit.gguf.GgufWriter;
import io.llamabox.testkit.gguf.TensorSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes control vectors as llama.cpp reads them: a GGUF file of F32 tensors {@code direction.<layer>}
 * (layers from 1), each of the model's embedding width, here with uniform random values in [-1, 1).
 */
public final class ControlVectorGenerator {
    private ControlVectorGenerator() {
    }

    /** Writes a vector for {@code layers} of a model {@code embd} wide; returns the file size. */
    public static long write(int embd, long seed, int[] layers, Path path) throws IOException {
        if (embd < 1 || layers.length == 0) {
            throw new IllegalArgumentException("a control vector needs a width and at least one layer");
        }
        Random r = new Random(seed);
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", "controlvector");
        for (int layer : layers) {
            if (layer < 1) {
                throw new IllegalArgumentException("control vector layers start at 1, got " + layer);
            }
            float[] v = new float[embd];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextFloat() * 2 - 1;
            }
            w.addTensor("direction." + layer, GgmlType.F32, new long[] {embd}, TensorSource.of(v));
        }
        return w.write(path);
    }
}
