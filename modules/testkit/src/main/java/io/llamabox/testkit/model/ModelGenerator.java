package io.llamabox.testkit.model;

import io.llamabox.testkit.gguf.GgmlType;
import io.llamabox.testkit.gguf.GgufValue;
import io.llamabox.testkit.gguf.GgufWriter;
import io.llamabox.testkit.gguf.TensorSource;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes random-weight models that llama.cpp loads and runs.
 *
 * <p>Weights are deterministic in the seed: matrices are close to normal with standard deviation
 * {@code 1/sqrt(fan_in)}, so every block keeps activations near unit scale and attention is neither
 * uniform nor one-hot; norm weights are 1 and biases small. A decoder's output rows of the
 * {@linkplain Vocabulary#suppressed() suppressed} tokens (control tokens, unprintable bytes) are zero,
 * so greedy decoding produces printable text and does not stop at once.
 */
public final class ModelGenerator {

    /** Bumped whenever generated files change, so that cached models are regenerated. */
    public static final int VERSION = 1;

    private ModelGenerator() {
    }

    /** Writes a decoder model to {@code path} and returns the file size. */
    public static long write(DecoderSpec spec, Path path) throws IOException {
        return writer(spec).write(path);
    }

    /** Writes an encoder model to {@code path} and returns the file size. */
    public static long write(EncoderSpec spec, Path path) throws IOException {
        return writer(spec).write(path);
    }

    /** Writes a vision projector to {@code path} and returns the file size. */
    public static long write(ProjectorSpec spec, Path path) throws IOException {
        return writer(spec).write(path);
    }

    /** The vocabulary a decoder spec gets. */
    public static Vocabulary vocabulary(DecoderSpec spec) {
        return !spec.arch().qwen()
                ? Vocabularies.spm(spec.vocab(), spec.fim())
                : Vocabularies.bpe(spec.vocab(), spec.fim());
    }

    /** The vocabulary an encoder spec gets. */
    public static Vocabulary vocabulary(EncoderSpec spec) {
        return Vocabularies.wordPiece(spec.vocab());
    }

    /** A writer holding the decoder's metadata and tensors, for callers that add or change something before writing. */
    public static GgufWriter writer(DecoderSpec spec) {
        String a = spec.arch().ggufName();
        Vocabulary vocab = vocabulary(spec);
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", a);
        w.putString("general.name", spec.name());
        w.putUint32("general.file_type", fileType(spec.type()));
        if (spec.type() == GgmlType.Q8_0) {
            w.putUint32("general.quantization_version", 2);
        }
        w.putUint32(a + ".context_length", spec.ctx());
        w.putUint32(a + ".embedding_length", spec.embd());
        w.putUint32(a + ".block_count", spec.layers());
        w.putUint32(a + ".feed_forward_length", spec.ff());
        w.putUint32(a + ".attention.head_count", spec.heads());
        w.putUint32(a + ".attention.head_count_kv", spec.kvHeads());
        w.putUint32(a + ".rope.dimension_count", spec.headSize());
        if (spec.arch() == DecoderArch.QWEN2VL) {
            w.put(a + ".rope.dimension_sections", GgufValue.int32Array(spec.ropeSections()));
        }
        boolean qwen = spec.arch().qwen();
        boolean gemma = spec.arch() == DecoderArch.GEMMA3;
        if (gemma) {
            w.putUint32(a + ".attention.sliding_window", DecoderArch.SLIDING_WINDOW);
            w.putUint32(a + ".attention.key_length", spec.headSize());
            w.putUint32(a + ".attention.value_length", spec.headSize());
        }
        w.putFloat32(a + ".rope.freq_base", qwen ? 1_000_000f : 10_000f);
        w.putFloat32(a + ".attention.layer_norm_rms_epsilon", qwen ? 1e-6f : 1e-5f);
        w.putUint32(a + ".vocab_size", vocab.size());

        putVocabulary(w, vocab);
        w.putUint32("tokenizer.ggml.bos_token_id", SpecialTokens.BOS);
        w.putUint32("tokenizer.ggml.eos_token_id", SpecialTokens.EOS);
        w.putUint32("tokenizer.ggml.eot_token_id", SpecialTokens.EOT);
        w.putUint32("tokenizer.ggml.unknown_token_id", SpecialTokens.UNK);
        w.putUint32("tokenizer.ggml.padding_token_id", SpecialTokens.PAD);
        if (spec.fim()) {
            w.putUint32("tokenizer.ggml.fim_pre_token_id", SpecialTokens.FIM_PRE);
            w.putUint32("tokenizer.ggml.fim_suf_token_id", SpecialTokens.FIM_SUF);
            w.putUint32("tokenizer.ggml.fim_mid_token_id", SpecialTokens.FIM_MID);
            w.putUint32("tokenizer.ggml.fim_pad_token_id", SpecialTokens.FIM_PAD);
        }
        w.putBool("tokenizer.ggml.add_bos_token", !qwen);
        w.putBool("tokenizer.ggml.add_eos_token", false);
        if (spec.chatTemplate() != null) {
            w.putString("tokenizer.chat_template", spec.chatTemplate());
        }

        Tensors t = new Tensors(w, spec.seed(), spec.type());
        int e = spec.embd();
        int kv = spec.kvWidth();
        int nv = vocab.size();
        t.matrix("token_embd.weight", e, nv, 1f);
        for (int i = 0; i < spec.layers(); i++) {
            String p = "blk." + i + ".";
            t.ones(p + "attn_norm.weight", e);
            t.matrix(p + "attn_q.weight", e, e);
            t.matrix(p + "attn_k.weight", e, kv);
            t.matrix(p + "attn_v.weight", e, kv);
            if (qwen) {
                t.bias(p + "attn_q.bias", e, 0.05f);
                t.bias(p + "attn_k.bias", kv, 0.05f);
                t.bias(p + "attn_v.bias", kv, 0.05f);
            }
            t.matrix(p + "attn_output.weight", e, e);
            if (gemma) {
                t.ones(p + "attn_q_norm.weight", spec.headSize());
                t.ones(p + "attn_k_norm.weight", spec.headSize());
                t.ones(p + "post_attention_norm.weight", e);
                t.ones(p + "post_ffw_norm.weight", e);
            }
            t.ones(p + "ffn_norm.weight", e);
            t.matrix(p + "ffn_gate.weight", e, spec.ff());
            t.matrix(p + "ffn_up.weight", e, spec.ff());
            t.matrix(p + "ffn_down.weight", spec.ff(), e);
        }
        t.ones("output_norm.weight", e);
        String out = "output.weight";
        t.add(out, e, nv, RandomTensor.normal(RandomTensor.seedFor(spec.seed(), out), (float) (1 / Math.sqrt(e)))
                .withZeroRows(e, vocab::isSuppressed));
        return w;
    }

    /** A writer holding the encoder's metadata and tensors. */
    public static GgufWriter writer(EncoderSpec spec) {
        String a = "bert";
        Vocabulary vocab = vocabulary(spec);
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", a);
        w.putString("general.name", spec.name());
        w.putUint32("general.file_type", fileType(spec.type()));
        if (spec.type() == GgmlType.Q8_0) {
            w.putUint32("general.quantization_version", 2);
        }
        w.putUint32(a + ".context_length", spec.ctx());
        w.putUint32(a + ".embedding_length", spec.embd());
        w.putUint32(a + ".block_count", spec.layers());
        w.putUint32(a + ".feed_forward_length", spec.ff());
        w.putUint32(a + ".attention.head_count", spec.heads());
        w.putFloat32(a + ".attention.layer_norm_epsilon", 1e-12f);
        w.putBool(a + ".attention.causal", false);
        w.putUint32(a + ".pooling_type", spec.pooling().id());
        if (spec.pooling() == Pooling.RANK) {
            w.put(a + ".classifier.output_labels", GgufValue.stringArray(java.util.List.of("LABEL_0")));
        }

        putVocabulary(w, vocab);
        w.putUint32("tokenizer.ggml.token_type_count", 2);
        w.putUint32("tokenizer.ggml.bos_token_id", SpecialTokens.BERT_CLS);
        w.putUint32("tokenizer.ggml.eos_token_id", SpecialTokens.BERT_SEP);
        w.putUint32("tokenizer.ggml.unknown_token_id", SpecialTokens.BERT_UNK);
        w.putUint32("tokenizer.ggml.seperator_token_id", SpecialTokens.BERT_SEP);
        w.putUint32("tokenizer.ggml.padding_token_id", SpecialTokens.BERT_PAD);
        w.putUint32("tokenizer.ggml.cls_token_id", SpecialTokens.BERT_CLS);
        w.putUint32("tokenizer.ggml.mask_token_id", SpecialTokens.BERT_MASK);
        w.putBool("tokenizer.ggml.add_bos_token", true);
        w.putBool("tokenizer.ggml.add_eos_token", false);
        w.putBool("tokenizer.ggml.add_sep_token", true);

        Tensors t = new Tensors(w, spec.seed(), spec.type());
        int e = spec.embd();
        t.matrix("token_embd.weight", e, vocab.size(), 1f);
        t.add("token_types.weight", e, 2, GgmlType.F32,
                RandomTensor.normal(RandomTensor.seedFor(spec.seed(), "token_types.weight"), 0.1f));
        t.matrix("position_embd.weight", e, spec.ctx(), 0.5f);
        t.ones("token_embd_norm.weight", e);
        t.zeros("token_embd_norm.bias", e);
        for (int i = 0; i < spec.layers(); i++) {
            String p = "blk." + i + ".";
            for (String m : new String[] {"attn_q", "attn_k", "attn_v", "attn_output"}) {
                t.matrix(p + m + ".weight", e, e);
                t.bias(p + m + ".bias", e, 0.02f);
            }
            t.ones(p + "attn_output_norm.weight", e);
            t.zeros(p + "attn_output_norm.bias", e);
            t.matrix(p + "ffn_up.weight", e, spec.ff());
            t.bias(p + "ffn_up.bias", spec.ff(), 0.02f);
            t.matrix(p + "ffn_down.weight", spec.ff(), e);
            t.bias(p + "ffn_down.bias", e, 0.02f);
            t.ones(p + "layer_output_norm.weight", e);
            t.zeros(p + "layer_output_norm.bias", e);
        }
        if (spec.pooling() == Pooling.RANK) {
            t.matrix("cls.weight", e, e);
            t.bias("cls.bias", e, 0.02f);
            t.add("cls.output.weight", e, 1, GgmlType.F32,
                    RandomTensor.normal(RandomTensor.seedFor(spec.seed(), "cls.output.weight"), 0.5f));
            t.bias("cls.output.bias", 1, 0.02f);
        }
        return w;
    }

    /**
     * A writer holding a LLaVA-style projector in the layout libmtmd loads: {@code clip.*} metadata,
     * encoder tensors under {@code v.} and the two projector layers {@code mm.0} and {@code mm.2}.
     */
    public static GgufWriter writer(ProjectorSpec spec) {
        if (spec.kind() == ProjectorSpec.Kind.QWEN2VL_MERGER) {
            return mergerWriter(spec);
        }
        GgufWriter w = clipHeader(spec, "mlp", true, 1e-5f);
        clipPixels(w);

        Tensors t = new Tensors(w, spec.seed(), spec.type());
        int e = spec.embd();
        int p = spec.patchSize();
        w.addTensor("v.patch_embd.weight", GgmlType.F32, new long[] {p, p, 3, e},
                RandomTensor.normal(RandomTensor.seedFor(spec.seed(), "v.patch_embd.weight"), (float) (1 / Math.sqrt(3.0 * p * p))));
        t.bias("v.patch_embd.bias", e, 0.02f);
        t.bias("v.class_embd", e, 0.1f);
        t.add("v.position_embd.weight", e, spec.imageTokens() + 1, GgmlType.F32,
                RandomTensor.normal(RandomTensor.seedFor(spec.seed(), "v.position_embd.weight"), 0.1f));
        t.ones("v.pre_ln.weight", e);
        t.zeros("v.pre_ln.bias", e);
        visionBlocks(t, spec);
        t.matrix("mm.0.weight", e, spec.hidden());
        t.bias("mm.0.bias", spec.hidden(), 0.02f);
        t.matrix("mm.2.weight", spec.hidden(), spec.textEmbd());
        t.bias("mm.2.bias", spec.textEmbd(), 0.02f);
        return w;
    }

    /** The metadata every generated vision projector starts with, in the order libmtmd's converter writes it. */
    private static GgufWriter clipHeader(ProjectorSpec spec, String projectorType, boolean llavaProjector,
                                         float layerNormEpsilon) {
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", "clip");
        w.putString("general.name", spec.name());
        w.putUint32("general.file_type", fileType(spec.type()));
        w.putString("clip.projector_type", projectorType);
        w.putBool("clip.has_vision_encoder", true);
        w.putBool("clip.has_text_encoder", false);
        w.putBool("clip.has_llava_projector", llavaProjector);
        w.putUint32("clip.vision.image_size", spec.imageSize());
        w.putUint32("clip.vision.patch_size", spec.patchSize());
        w.putUint32("clip.vision.embedding_length", spec.embd());
        w.putUint32("clip.vision.feed_forward_length", spec.ff());
        w.putUint32("clip.vision.block_count", spec.layers());
        w.putUint32("clip.vision.projection_dim", spec.textEmbd());
        w.putUint32("clip.vision.attention.head_count", spec.heads());
        w.putFloat32("clip.vision.attention.layer_norm_epsilon", layerNormEpsilon);
        return w;
    }

    /** CLIP's pixel normalisation, and quick GELU (not exact GELU) in the blocks. */
    private static void clipPixels(GgufWriter w) {
        w.put("clip.vision.image_mean", GgufValue.float32Array(new float[] {0.48145466f, 0.4578275f, 0.40821073f}));
        w.put("clip.vision.image_std", GgufValue.float32Array(new float[] {0.26862954f, 0.26130258f, 0.27577711f}));
        w.putBool("clip.use_gelu", false);
    }

    /**
     * A Qwen2-VL-style projector in the layout libmtmd loads for {@code qwen2vl_merger}: two patch kernels
     * ({@code v.patch_embd.weight} and {@code .weight.1}, one per frame of a temporal patch; a still image
     * goes through both), no patch bias, class token or learned positions (the blocks rotate by 2D
     * position), LayerNorm blocks with biases, a final {@code v.post_ln}, and the merger's two layers
     * {@code mm.0} (four patches' width in) and {@code mm.2}.
     */
    private static GgufWriter mergerWriter(ProjectorSpec spec) {
        GgufWriter w = clipHeader(spec, spec.kind().ggufName(), false, 1e-6f);
        w.putUint32("clip.vision.spatial_merge_size", ProjectorSpec.MERGE);
        clipPixels(w); // Qwen2-VL normalises pixels like CLIP; quick GELU in its blocks too

        Tensors t = new Tensors(w, spec.seed(), spec.type());
        int e = spec.embd();
        int p = spec.patchSize();
        // half the usual scale each: the two kernels' outputs add up
        float kernelStd = (float) (1 / Math.sqrt(2 * 3.0 * p * p));
        for (String kernel : new String[] {"v.patch_embd.weight", "v.patch_embd.weight.1"}) {
            w.addTensor(kernel, GgmlType.F32, new long[] {p, p, 3, e},
                    RandomTensor.normal(RandomTensor.seedFor(spec.seed(), kernel), kernelStd));
        }
        visionBlocks(t, spec);
        t.ones("v.post_ln.weight", e);
        t.zeros("v.post_ln.bias", e);
        int merged = ProjectorSpec.MERGE * ProjectorSpec.MERGE * e;
        t.matrix("mm.0.weight", merged, spec.hidden());
        t.bias("mm.0.bias", spec.hidden(), 0.02f);
        t.matrix("mm.2.weight", spec.hidden(), spec.textEmbd());
        t.bias("mm.2.bias", spec.textEmbd(), 0.02f);
        return w;
    }

    /** The ViT blocks both projector kinds share: attention with biases, LayerNorms, a two-layer MLP. */
    private static void visionBlocks(Tensors t, ProjectorSpec spec) {
        int e = spec.embd();
        for (int i = 0; i < spec.layers(); i++) {
            String b = "v.blk." + i + ".";
            for (String m : new String[] {"attn_q", "attn_k", "attn_v", "attn_out"}) {
                t.matrix(b + m + ".weight", e, e);
                t.bias(b + m + ".bias", e, 0.02f);
            }
            t.ones(b + "ln1.weight", e);
            t.zeros(b + "ln1.bias", e);
            t.matrix(b + "ffn_up.weight", e, spec.ff());
            t.bias(b + "ffn_up.bias", spec.ff(), 0.02f);
            t.matrix(b + "ffn_down.weight", spec.ff(), e);
            t.bias(b + "ffn_down.bias", e, 0.02f);
            t.ones(b + "ln2.weight", e);
            t.zeros(b + "ln2.bias", e);
        }
    }

    private static void putVocabulary(GgufWriter w, Vocabulary vocab) {
        w.putString("tokenizer.ggml.model", vocab.model());
        w.putString("tokenizer.ggml.pre", vocab.pre());
        w.putStringArray("tokenizer.ggml.tokens", vocab.tokens());
        w.put("tokenizer.ggml.scores", GgufValue.float32Array(vocab.scores()));
        w.put("tokenizer.ggml.token_type", GgufValue.int32Array(vocab.typeIds()));
        if (!vocab.merges().isEmpty()) {
            w.putStringArray("tokenizer.ggml.merges", vocab.merges());
        }
    }

    /** llama.cpp's {@code general.file_type} for a model whose matrices have this type. */
    public static int fileType(GgmlType type) {
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q8_0 -> 7;
        };
    }

    /** Declares tensors with per-name seeds. */
    private record Tensors(GgufWriter w, long seed, GgmlType matrixType) {

        /** A {@code rows x cols} weight matrix in ggml order {@code {cols, rows}} = {@code {in, out}}, std 1/sqrt(in). */
        void matrix(String name, int in, int out) {
            matrix(name, in, out, (float) (1 / Math.sqrt(in)));
        }

        void matrix(String name, int in, int out, float std) {
            add(name, in, out, matrixType, RandomTensor.normal(RandomTensor.seedFor(seed, name), std));
        }

        void add(String name, int in, int out, TensorSource source) {
            add(name, in, out, matrixType, source);
        }

        void add(String name, int in, int out, GgmlType type, TensorSource source) {
            w.addTensor(name, type, new long[] {in, out}, source);
        }

        void ones(String name, int n) {
            w.addTensor(name, GgmlType.F32, new long[] {n}, TensorSource.constant(1f));
        }

        void zeros(String name, int n) {
            w.addTensor(name, GgmlType.F32, new long[] {n}, TensorSource.constant(0f));
        }

        void bias(String name, int n, float std) {
            w.addTensor(name, GgmlType.F32, new long[] {n}, RandomTensor.normal(RandomTensor.seedFor(seed, name), std));
        }
    }
}
