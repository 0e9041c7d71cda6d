package io.llamabox.testkit.model;

import io.llamabox.testkit.gguf.GgmlType;
import io.llamabox.testkit.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Path;

/** Writes the LoRA adapters of {@link LoraSpec}s. */
public final class LoraGenerator {
    private LoraGenerator() {
    }

    /** Writes the adapter to {@code path} and returns the file size. */
    public static long write(LoraSpec spec, Path path) throws IOException {
        return writer(spec).write(path);
    }

    /** A writer holding the adapter's metadata and tensors. */
    public static GgufWriter writer(LoraSpec spec) {
        DecoderSpec base = spec.base();
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", base.arch().ggufName());
        w.putString("general.name", spec.name());
        w.putString("general.type", "adapter");
        w.putString("adapter.type", "lora");
        w.putFloat32("adapter.lora.alpha", spec.alpha());
        int e = base.embd();
        int kv = base.kvWidth();
        for (int i = 0; i < base.layers(); i++) {
            String p = "blk." + i + ".";
            update(w, spec, p + "attn_q.weight", e, e);
            update(w, spec, p + "attn_k.weight", e, kv);
            update(w, spec, p + "attn_v.weight", e, kv);
            update(w, spec, p + "attn_output.weight", e, e);
            update(w, spec, p + "ffn_gate.weight", e, base.ff());
            update(w, spec, p + "ffn_up.weight", e, base.ff());
            update(w, spec, p + "ffn_down.weight", base.ff(), e);
        }
        return w;
    }

    /**
     * {@code A} ({@code in -> rank}) with std {@code 1/sqrt(in)} and {@code B} ({@code rank -> out}) with
     * std {@code 1/sqrt(rank)}: {@code B·A} then has the std of the base weight, {@code 1/sqrt(in)}.
     */
    private static void update(GgufWriter w, LoraSpec spec, String weight, int in, int out) {
        String a = weight + ".lora_a";
        String b = weight + ".lora_b";
        w.addTensor(a, GgmlType.F32, new long[] {in, spec.rank()},
                RandomTensor.normal(RandomTensor.seedFor(spec.seed(), a), (float) (1 / Math.sqrt(in))));
        w.addTensor(b, GgmlType.F32, new long[] {spec.rank(), out},
                RandomTensor.normal(RandomTensor.seedFor(spec.seed(), b), (float) (1 / Math.sqrt(spec.rank()))));
    }
}
