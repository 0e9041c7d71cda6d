package io.llamabox.testkit.model;

import io.llamabox.testkit.gguf.GgmlType;
import io.llamabox.testkit.gguf.GgufTensorInfo;
import io.llamabox.testkit.gguf.GgufWriter;
import io.llamabox.testkit.gguf.TensorSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Writes random-weight Stable Diffusion models ({@link DiffusionSpec}) and LoRAs for them
 * ({@link DiffusionLoraSpec}) that stable-diffusion.cpp loads and runs.
 *
 * <p>The layout is stable-diffusion.cpp's, which is that of the original checkpoints: every tensor it
 * builds for the version is present (a missing one fails the load) and no other. Types are what it keeps
 * them in: Q4_0 for the linear weights whose rows hold whole blocks and for the token embedding, F16 for
 * convolution kernels (it holds them in F16 whatever the file has, and a row of 3 or 1 values cannot be
 * block-quantized), F32 for norms, biases and the position embedding. The file carries no metadata
 * stable-diffusion.cpp needs (it reads tensors only); {@code general.name} names it.
 *
 * <p>Weights are deterministic in the seed. Linear and convolution weights have standard deviation
 * {@code 1/sqrt(fan_in)}, norms are identities and biases small, so every normalised block keeps
 * activations near unit scale and the whole pass stays finite. The UNet's last convolution is scaled down
 * so that its noise prediction stays small: the latent stays close to the sampler's noise, which the VAE
 * decodes into an image of many colours, and stable-diffusion.cpp's probe of SD 2.x models (a UNet run
 * whose output far below its input means v-prediction) finds epsilon-prediction.
 */
public final class DiffusionModelGenerator {

    /** Bumped whenever generated files change, so that cached models are regenerated. */
    public static final int VERSION = 1;

    /** Prefix of the text encoder of SD 1.x checkpoints (Hugging Face CLIP names). */
    public static final String CLIP_PREFIX = "cond_stage_model.transformer.text_model.";
    /** Prefix of the text encoder of SD 2.x checkpoints (OpenCLIP names). */
    public static final String OPEN_CLIP_PREFIX = "cond_stage_model.model.";
    /** Prefix of the UNet. */
    public static final String UNET_PREFIX = "model.diffusion_model.";
    /** Prefix of the VAE. */
    public static final String VAE_PREFIX = "first_stage_model.";

    /** CLIP's vocabulary and context, fixed in stable-diffusion.cpp. */
    static final int TEXT_VOCAB = 49408;
    static final int TEXT_POSITIONS = 77;
    /** The VAE encoder's base width, fixed in stable-diffusion.cpp. */
    static final int VAE_ENCODER_CHANNELS = 128;
    static final int LATENT_CHANNELS = 4;
    private static final int[] CHANNEL_MULT = {1, 2, 4, 4};
    /** The UNet levels (by index into {@link #CHANNEL_MULT}) that have attention: resolutions 1, 2 and 4. */
    private static final int ATTENTION_LEVELS = 3;
    private static final int UNET_RES_BLOCKS = 2;
    private static final int VAE_RES_BLOCKS = 2;
    /** Scale of the UNet's output convolution (see the class comment). */
    private static final float UNET_OUT_GAIN = 0.5f;

    private static final Pattern LORA_TARGET =
            Pattern.compile(Pattern.quote(UNET_PREFIX) + ".*\\.transformer_blocks\\.\\d+\\.attn[12]\\.to_(q|k|v|out\\.0)\\.weight");

    private DiffusionModelGenerator() {
    }

    /** Writes the model to {@code path} and returns the file size. */
    public static long write(DiffusionSpec spec, Path path) throws IOException {
        return writer(spec).write(path);
    }

    /** Writes the LoRA to {@code path} and returns the file size. */
    public static long write(DiffusionLoraSpec spec, Path path) throws IOException {
        return writer(spec).write(path);
    }

    /** A writer holding the model's tensors. */
    public static GgufWriter writer(DiffusionSpec spec) {
        GgufWriter w = new GgufWriter().maxNameBytes(GgufWriter.DIFFUSION_MAX_NAME_BYTES);
        w.putString("general.name", spec.name());
        Weights t = new Weights(w, spec.seed());
        if (spec.version() == DiffusionSpec.Version.SD2) {
            openClipText(t, spec.version());
        } else {
            clipText(t, spec.version());
        }
        unet(t, spec);
        vae(t, spec);
        return w;
    }

    /** A writer holding the LoRA's tensors. */
    public static GgufWriter writer(DiffusionLoraSpec spec) {
        GgufWriter w = new GgufWriter().maxNameBytes(GgufWriter.DIFFUSION_MAX_NAME_BYTES);
        w.putString("general.name", spec.name());
        int rank = spec.rank();
        for (GgufTensorInfo target : loraTargets(spec.base())) {
            String module = target.name().substring(UNET_PREFIX.length(), target.name().length() - ".weight".length());
            String key = "lora_unet_" + module.replace('.', '_');
            long in = target.dims()[0];
            long out = target.dims()[1];
            String down = key + ".lora_down.weight";
            String up = key + ".lora_up.weight";
            w.addTensor(down, GgmlType.F32, new long[] {in, rank},
                    RandomTensor.normal(RandomTensor.seedFor(spec.seed(), down), (float) (1 / Math.sqrt(in))));
            w.addTensor(up, GgmlType.F32, new long[] {rank, out},
                    RandomTensor.normal(RandomTensor.seedFor(spec.seed(), up), (float) (1 / Math.sqrt(rank))));
            w.addTensor(key + ".alpha", GgmlType.F32, new long[] {1}, TensorSource.constant(spec.alpha()));
        }
        return w;
    }

    /** The weights of {@code base} a {@link DiffusionLoraSpec} updates, in file order. */
    public static List<GgufTensorInfo> loraTargets(DiffusionSpec base) {
        return writer(base).tensorInfos().stream().filter(t -> LORA_TARGET.matcher(t.name()).matches()).toList();
    }

    /** SD 1.x's CLIP ViT-L/14 text encoder. */
    private static void clipText(Weights t, DiffusionSpec.Version v) {
        String p = CLIP_PREFIX;
        int e = v.textWidth();
        t.tokenEmbedding(p + "embeddings.token_embedding.weight", e);
        t.positionEmbedding(p + "embeddings.position_embedding.weight", e);
        for (int i = 0; i < v.textLayers(); i++) {
            String l = p + "encoder.layers." + i + ".";
            t.norm(l + "layer_norm1", e);
            for (String m : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                t.linear(l + "self_attn." + m, e, e);
            }
            t.norm(l + "layer_norm2", e);
            t.linear(l + "mlp.fc1", e, v.textFf());
            t.linear(l + "mlp.fc2", v.textFf(), e);
        }
        t.norm(p + "final_layer_norm", e);
    }

    /** SD 2.x's OpenCLIP ViT-H/14 text encoder (query, key and value in one {@code in_proj}). */
    private static void openClipText(Weights t, DiffusionSpec.Version v) {
        String p = OPEN_CLIP_PREFIX;
        int e = v.textWidth();
        t.tokenEmbedding(p + "token_embedding.weight", e);
        t.positionEmbedding(p + "positional_embedding", e);
        for (int i = 0; i < v.textLayers(); i++) {
            String r = p + "transformer.resblocks." + i + ".";
            t.norm(r + "ln_1", e);
            t.matrix(r + "attn.in_proj_weight", e, 3 * e);
            t.bias(r + "attn.in_proj_bias", 3 * e);
            t.linear(r + "attn.out_proj", e, e);
            t.norm(r + "ln_2", e);
            t.linear(r + "mlp.c_fc", e, v.textFf());
            t.linear(r + "mlp.c_proj", v.textFf(), e);
        }
        t.norm(p + "ln_final", e);
    }

    /**
     * The UNet of SD 1.x and 2.x (openaimodel's {@code UNetModel}): four levels of two residual blocks with
     * channel multipliers 1, 2, 4, 4, a transformer after each block of the first three levels, a middle
     * block, and the mirrored output side with three blocks a level fed by the skip connections.
     */
    private static void unet(Weights t, DiffusionSpec spec) {
        String p = UNET_PREFIX;
        int mc = spec.modelChannels();
        int emb = 4 * mc;
        Deque<Integer> skips = inputSideAndMiddle(t, spec, p, (block, channels) -> { });
        int ch = skips.peek();
        int block = 0;
        for (int level = CHANNEL_MULT.length - 1; level >= 0; level--) {
            for (int j = 0; j < UNET_RES_BLOCKS + 1; j++) {
                String b = p + "output_blocks." + block + ".";
                int out = CHANNEL_MULT[level] * mc;
                resBlock(t, b + "0", ch + skips.pop(), emb, out);
                ch = out;
                int upsample = 1;
                if (level < ATTENTION_LEVELS) {
                    spatialTransformer(t, spec, b + "1", ch);
                    upsample = 2;
                }
                if (level > 0 && j == UNET_RES_BLOCKS) {
                    t.conv(b + upsample + ".conv", 3, ch, ch);
                }
                block++;
            }
        }
        t.norm(p + "out.0", mc);
        t.conv(p + "out.2", 3, mc, LATENT_CHANNELS, UNET_OUT_GAIN);
    }

    /**
     * The time embedding, input side and middle block under {@code p}, which the UNet and its ControlNet
     * share; {@code afterBlock} hears each input block's index and output channels (the ControlNet's zero
     * convolutions follow them). Returns the input side's output channels, last first, then the middle's.
     */
    static Deque<Integer> inputSideAndMiddle(Weights t, DiffusionSpec spec, String p, BiConsumer<Integer, Integer> afterBlock) {
        int mc = spec.modelChannels();
        int emb = 4 * mc;
        t.linear(p + "time_embed.0", mc, emb);
        t.linear(p + "time_embed.2", emb, emb);
        t.conv(p + "input_blocks.0.0", 3, spec.version().unetInputChannels(), mc);
        afterBlock.accept(0, mc);
        Deque<Integer> skips = new ArrayDeque<>();
        skips.push(mc);
        int ch = mc;
        int block = 0;
        for (int level = 0; level < CHANNEL_MULT.length; level++) {
            for (int j = 0; j < UNET_RES_BLOCKS; j++) {
                block++;
                String b = p + "input_blocks." + block + ".";
                int out = CHANNEL_MULT[level] * mc;
                resBlock(t, b + "0", ch, emb, out);
                ch = out;
                if (level < ATTENTION_LEVELS) {
                    spatialTransformer(t, spec, b + "1", ch);
                }
                afterBlock.accept(block, ch);
                skips.push(ch);
            }
            if (level != CHANNEL_MULT.length - 1) {
                block++;
                t.conv(p + "input_blocks." + block + ".0.op", 3, ch, ch);
                afterBlock.accept(block, ch);
                skips.push(ch);
            }
        }
        resBlock(t, p + "middle_block.0", ch, emb, ch);
        spatialTransformer(t, spec, p + "middle_block.1", ch);
        resBlock(t, p + "middle_block.2", ch, emb, ch);
        return skips;
    }

    private static void resBlock(Weights t, String p, int in, int emb, int out) {
        t.norm(p + ".in_layers.0", in);
        t.conv(p + ".in_layers.2", 3, in, out);
        t.linear(p + ".emb_layers.1", emb, out);
        t.norm(p + ".out_layers.0", out);
        t.conv(p + ".out_layers.3", 3, out, out);
        if (in != out) {
            t.conv(p + ".skip_connection", 1, in, out);
        }
    }

    /**
     * One transformer block over the feature map: self-attention, cross-attention to the text, a GEGLU
     * feed-forward. Its projections in and out are 1x1 convolutions in SD 1.x and linear layers in SD 2.x.
     */
    private static void spatialTransformer(Weights t, DiffusionSpec spec, String p, int ch) {
        boolean linearProjection = spec.version() == DiffusionSpec.Version.SD2;
        int context = spec.version().textWidth();
        t.norm(p + ".norm", ch);
        if (linearProjection) {
            t.linear(p + ".proj_in", ch, ch);
        } else {
            t.conv(p + ".proj_in", 1, ch, ch);
        }
        String b = p + ".transformer_blocks.0.";
        attention(t, b + "attn1", ch, ch);
        attention(t, b + "attn2", ch, context);
        t.linear(b + "ff.net.0.proj", ch, 8 * ch);
        t.linear(b + "ff.net.2", 4 * ch, ch);
        t.norm(b + "norm1", ch);
        t.norm(b + "norm2", ch);
        t.norm(b + "norm3", ch);
        if (linearProjection) {
            t.linear(p + ".proj_out", ch, ch);
        } else {
            t.conv(p + ".proj_out", 1, ch, ch);
        }
    }

    private static void attention(Weights t, String p, int ch, int context) {
        t.matrix(p + ".to_q.weight", ch, ch);
        t.matrix(p + ".to_k.weight", context, ch);
        t.matrix(p + ".to_v.weight", context, ch);
        t.linear(p + ".to_out.0", ch, ch);
    }

    /**
     * The KL autoencoder: the encoder (fixed at base width 128), the quantization convolutions, and the
     * decoder at the spec's base width; both with channel multipliers 1, 2, 4, 4 and a middle attention block.
     */
    private static void vae(Weights t, DiffusionSpec spec) {
        String p = VAE_PREFIX;
        int ch = VAE_ENCODER_CHANNELS;
        t.conv(p + "encoder.conv_in", 3, 3, ch);
        int in = ch;
        for (int level = 0; level < CHANNEL_MULT.length; level++) {
            int out = ch * CHANNEL_MULT[level];
            for (int j = 0; j < VAE_RES_BLOCKS; j++) {
                resnetBlock(t, p + "encoder.down." + level + ".block." + j, in, out);
                in = out;
            }
            if (level != CHANNEL_MULT.length - 1) {
                t.conv(p + "encoder.down." + level + ".downsample.conv", 3, in, in);
            }
        }
        resnetBlock(t, p + "encoder.mid.block_1", in, in);
        attnBlock(t, p + "encoder.mid.attn_1", in);
        resnetBlock(t, p + "encoder.mid.block_2", in, in);
        t.norm(p + "encoder.norm_out", in);
        t.conv(p + "encoder.conv_out", 3, in, 2 * LATENT_CHANNELS);
        t.conv(p + "quant_conv", 1, 2 * LATENT_CHANNELS, 2 * LATENT_CHANNELS);
        t.conv(p + "post_quant_conv", 1, LATENT_CHANNELS, LATENT_CHANNELS);

        int dch = spec.decoderChannels();
        in = dch * CHANNEL_MULT[CHANNEL_MULT.length - 1];
        t.conv(p + "decoder.conv_in", 3, LATENT_CHANNELS, in);
        resnetBlock(t, p + "decoder.mid.block_1", in, in);
        attnBlock(t, p + "decoder.mid.attn_1", in);
        resnetBlock(t, p + "decoder.mid.block_2", in, in);
        for (int level = CHANNEL_MULT.length - 1; level >= 0; level--) {
            int out = dch * CHANNEL_MULT[level];
            for (int j = 0; j < VAE_RES_BLOCKS + 1; j++) {
                resnetBlock(t, p + "decoder.up." + level + ".block." + j, in, out);
                in = out;
            }
            if (level != 0) {
                t.conv(p + "decoder.up." + level + ".upsample.conv", 3, in, in);
            }
        }
        t.norm(p + "decoder.norm_out", in);
        t.conv(p + "decoder.conv_out", 3, in, 3);
    }

    private static void resnetBlock(Weights t, String p, int in, int out) {
        t.norm(p + ".norm1", in);
        t.conv(p + ".conv1", 3, in, out);
        t.norm(p + ".norm2", out);
        t.conv(p + ".conv2", 3, out, out);
        if (in != out) {
            t.conv(p + ".nin_shortcut", 1, in, out);
        }
    }

    private static void attnBlock(Weights t, String p, int ch) {
        t.norm(p + ".norm", ch);
        for (String m : new String[] {"q", "k", "v", "proj_out"}) {
            t.conv(p + "." + m, 1, ch, ch);
        }
    }

    /** Declares tensors with per-name seeds, in the types stable-diffusion.cpp keeps them in. */
    record Weights(GgufWriter w, long seed) {

        private static final float BIAS_STD = 0.02f;
        private static final float POSITION_STD = 0.5f;

        /** A linear layer's weight ({@code {in, out}}, Q4_0) and bias. */
        void linear(String p, int in, int out) {
            matrix(p + ".weight", in, out);
            bias(p + ".bias", out);
        }

        /** A weight matrix {@code {in, out}} with std {@code 1/sqrt(in)}, Q4_0 when its rows hold whole blocks. */
        void matrix(String name, int in, int out) {
            GgmlType type = in % GgmlType.Q4_0.blockSize() == 0 ? GgmlType.Q4_0 : GgmlType.F16;
            w.addTensor(name, type, new long[] {in, out}, normal(name, (float) (1 / Math.sqrt(in))));
        }

        void conv(String p, int kernel, int in, int out) {
            conv(p, kernel, in, out, 1f);
        }

        /** A convolution's kernel ({@code {k, k, in, out}}, F16, std {@code gain/sqrt(k*k*in)}) and bias. */
        void conv(String p, int kernel, int in, int out, float gain) {
            convKernel(p, kernel, in, out, gain);
            bias(p + ".bias", out);
        }

        /** A convolution's kernel alone ({@code {k, k, in, out}}, F16, std {@code gain/sqrt(k*k*in)}), without a bias. */
        void convKernel(String p, int kernel, int in, int out, float gain) {
            String name = p + ".weight";
            w.addTensor(name, GgmlType.F16, new long[] {kernel, kernel, in, out},
                    normal(name, (float) (gain / Math.sqrt((double) kernel * kernel * in))));
        }

        void tokenEmbedding(String name, int width) {
            w.addTensor(name, GgmlType.Q4_0, new long[] {width, TEXT_VOCAB}, normal(name, 1f));
        }

        void positionEmbedding(String name, int width) {
            w.addTensor(name, GgmlType.F32, new long[] {width, TEXT_POSITIONS}, normal(name, POSITION_STD));
        }

        /** A LayerNorm's or GroupNorm's scale (ones) and shift (zeros): the identity after normalising. */
        void norm(String p, int n) {
            w.addTensor(p + ".weight", GgmlType.F32, new long[] {n}, TensorSource.constant(1f));
            w.addTensor(p + ".bias", GgmlType.F32, new long[] {n}, TensorSource.constant(0f));
        }

        void bias(String name, int n) {
            w.addTensor(name, GgmlType.F32, new long[] {n}, normal(name, BIAS_STD));
        }

        private RandomTensor normal(String name, float std) {
            return RandomTensor.normal(RandomTensor.seedFor(seed, name), std);
        }
    }
}
