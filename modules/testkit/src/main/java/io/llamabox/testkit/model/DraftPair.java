package io.llamabox.testkit.model;

import io.llamabox.testkit.gguf.GgmlType;
import io.llamabox.testkit.gguf.GgufFile;
import io.llamabox.testkit.gguf.GgufReader;
import io.llamabox.testkit.gguf.GgufTensorInfo;
import io.llamabox.testkit.gguf.GgufValue;
import io.llamabox.testkit.gguf.GgufWriter;
import io.llamabox.testkit.gguf.TensorSource;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * A target model and a draft model for speculative decoding, from random weights, whose greedy
 * choices agree often but not always.
 *
 * <p>Both come from one generated decoder. The draft keeps its embeddings, output and first
 * {@code draftLayers} blocks. The target keeps every block, but the residual contributions of the
 * blocks the draft lacks (their {@code attn_output} and {@code ffn_down}) are scaled by
 * {@code upperScale}: at 0 the two models compute the same logits, at 1 the target is the plain
 * generated model and shares little with the draft. Both get {@code output_norm} weights of
 * {@code logitScale} instead of 1, which sharpens the next-token distribution the way a trained
 * model is sharp on repetitive text (random weights alone give nearly flat logits, so no token
 * would pass a draft's minimum probability).
 */
public final class DraftPair {

    static final String USAGE = """
            usage: make-model draft-pair TARGET.gguf DRAFT.gguf [options]
            options (defaults: a ~258M-parameter target of 24 bench-sized blocks, a 2-block draft):
              --layers N          target blocks (default 24; width, heads and vocabulary of the bench preset)
              --draft-layers K    draft blocks, the target's first K (default 2)
              --upper-scale A     scale of the target's blocks >= K on the residual stream (default 0.03)
              --logit-scale S     output_norm weight of both models (default 12)
              --type f32|f16|q8_0 type of the weight matrices (default q8_0)
              --seed N            seed of the random weights (default 42)
              -h, --help          this text
            """;

    private DraftPair() {
    }

    /** What {@link #write} wrote. */
    public record Written(long targetBytes, long draftBytes, long targetParameters, long draftParameters) {
    }

    /**
     * Writes the pair derived from {@code target} (its {@code layers} are the target's).
     *
     * @param draftLayers blocks of the draft, at least 1 and fewer than the target's
     * @param upperScale  scale of the target's blocks from {@code draftLayers} on, in [0, 1]
     * @param logitScale  output_norm weight of both models, positive
     */
    public static Written write(DecoderSpec target, int draftLayers, float upperScale, float logitScale,
                                Path targetPath, Path draftPath) throws IOException {
        if (draftLayers < 1 || draftLayers >= target.layers()) {
            throw new IllegalArgumentException("draft layers must be in [1, " + (target.layers() - 1) + "], got "
                    + draftLayers);
        }
        if (!(upperScale >= 0 && upperScale <= 1)) {
            throw new IllegalArgumentException("upper scale must be in [0, 1], got " + upperScale);
        }
        if (!(logitScale > 0 && logitScale <= 100)) {
            throw new IllegalArgumentException("logit scale must be in (0, 100], got " + logitScale);
        }
        Path dir = targetPath.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Files.createDirectories(draftPath.toAbsolutePath().getParent());
        Path base = Files.createTempFile(dir, "draft-pair-", ".gguf");
        try {
            ModelGenerator.write(target, base);
            GgufFile f = GgufReader.read(base);
            String arch = f.require("general.architecture").asString();
            String name = target.name();
            long tb = derive(base, f, arch, target.layers(), draftLayers, upperScale, logitScale, name + "-target")
                    .write(targetPath);
            long db = derive(base, f, arch, draftLayers, draftLayers, 1f, logitScale, name + "-draft")
                    .write(draftPath);
            return new Written(tb, db, GgufReader.read(targetPath).parameterCount(),
                    GgufReader.read(draftPath).parameterCount());
        } finally {
            Files.deleteIfExists(base);
        }
    }

    /** A writer with the blocks below {@code keepLayers}, those from {@code scaleFrom} on scaled by {@code scale}. */
    private static GgufWriter derive(Path base, GgufFile f, String arch, int keepLayers, int scaleFrom, float scale,
                                     float logitScale, String name) throws IOException {
        GgufWriter w = new GgufWriter();
        for (Map.Entry<String, GgufValue> e : f.metadata().entrySet()) {
            w.put(e.getKey(), e.getValue());
        }
        w.putUint32(arch + ".block_count", keepLayers);
        w.putString("general.name", name);
        for (GgufTensorInfo t : f.tensors()) {
            int layer = layerOf(t.name());
            if (layer >= keepLayers) {
                continue;
            }
            if (t.name().equals("output_norm.weight")) {
                w.addTensor(t.name(), GgmlType.F32, t.dims(), TensorSource.constant(logitScale));
            } else if (layer >= scaleFrom && scale != 1f
                    && (t.name().endsWith(".attn_output.weight") || t.name().endsWith(".ffn_down.weight"))) {
                float[] v = GgufReader.readTensorFloats(base, f, t);
                for (int i = 0; i < v.length; i++) {
                    v[i] *= scale;
                }
                w.addTensor(t.name(), t.type(), t.dims(), TensorSource.of(v));
            } else {
                w.addRawTensor(t.name(), t.type(), t.dims(), GgufReader.readTensorBytes(base, f, t));
            }
        }
        return w;
    }

    /** The block index of a tensor name {@code blk.N.*}, or -1 for tensors outside the blocks. */
    static int layerOf(String tensor) {
        if (!tensor.startsWith("blk.")) {
            return -1;
        }
        int dot = tensor.indexOf('.', 4);
        return Integer.parseInt(tensor.substring(4, dot));
    }

    public static void main(String[] args) {
        MakeModel.runAndExit("make-model draft-pair", USAGE, DraftPair::run, args);
    }

    /** Runs the command line; returns the exit status. Bad arguments throw {@link IllegalArgumentException}. */
    static int run(String[] args, PrintStream out) throws IOException {
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help")) {
                out.print(USAGE);
                return 0;
            }
        }
        if (args.length < 2 || args[0].startsWith("-") || args[1].startsWith("-")) {
            throw new IllegalArgumentException("TARGET.gguf and DRAFT.gguf are required");
        }
        DecoderSpec spec = DecoderSpec.benchLlama().withLayers(24).withName("spec-llama");
        int draftLayers = 2;
        // measured with the peer, draft-max 8, p-min 0.5: ~80% of drafted tokens accepted, drafts on most steps
        float upper = 0.03f;
        float logit = 12f;
        for (int i = 2; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + args[i]);
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--layers" -> spec = spec.withLayers(Integer.parseInt(v));
                case "--draft-layers" -> draftLayers = Integer.parseInt(v);
                case "--upper-scale" -> upper = Float.parseFloat(v);
                case "--logit-scale" -> logit = Float.parseFloat(v);
                case "--type" -> spec = spec.withType(switch (v.toLowerCase(Locale.ROOT)) {
                    case "f32" -> GgmlType.F32;
                    case "f16" -> GgmlType.F16;
                    case "q8_0" -> GgmlType.Q8_0;
                    default -> throw new IllegalArgumentException("--type is f32, f16 or q8_0, got " + v);
                });
                case "--seed" -> spec = spec.withSeed(Long.parseLong(v));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        long t0 = System.nanoTime();
        Written w = write(spec, draftLayers, upper, logit, Path.of(args[0]), Path.of(args[1]));
        out.printf(Locale.ROOT, "wrote %s: %.1f M parameters, %.1f MiB (%d blocks, upper blocks scaled by %s)%n",
                args[0], w.targetParameters() / 1e6, w.targetBytes() / 1048576.0, spec.layers(), upper);
        out.printf(Locale.ROOT, "wrote %s: %.1f M parameters, %.1f MiB (its first %d blocks), logit scale %s, in %.1f s%n",
                args[1], w.draftParameters() / 1e6, w.draftBytes() / 1048576.0, draftLayers, logit,
                (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
