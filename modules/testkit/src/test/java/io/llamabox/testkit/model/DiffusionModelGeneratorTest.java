package io.llamabox.testkit.model;

import io.llamabox.testkit.gguf.GgmlType;
import io.llamabox.testkit.gguf.GgufFile;
import io.llamabox.testkit.gguf.GgufReader;
import io.llamabox.testkit.gguf.GgufTensorInfo;
import io.llamabox.testkit.gguf.GgufWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiffusionModelGeneratorTest {

    private static final String CLIP = DiffusionModelGenerator.CLIP_PREFIX;
    private static final String OPEN_CLIP = DiffusionModelGenerator.OPEN_CLIP_PREFIX;
    private static final String UNET = DiffusionModelGenerator.UNET_PREFIX;
    private static final String VAE = DiffusionModelGenerator.VAE_PREFIX;

    /** Shared by the tests, so that each model is written once into the cache. */
    @TempDir
    static Path dir;

    @Test
    void sameSpecGivesByteIdenticalFilesThroughTheCacheAndTheGenerator() throws IOException {
        Path cached = TestModels.sd1(dir);
        Path direct = dir.resolve("direct.gguf");
        DiffusionModelGenerator.write(DiffusionSpec.tinySd1(), direct);
        assertEquals(-1L, Files.mismatch(cached, direct));
        assertEquals(cached, TestModels.sd1(dir), "the cached file is reused");

        Path lora = TestModels.sd1Lora(dir);
        Path loraDirect = dir.resolve("lora.gguf");
        DiffusionModelGenerator.write(DiffusionLoraSpec.of(DiffusionSpec.tinySd1()), loraDirect);
        assertEquals(-1L, Files.mismatch(lora, loraDirect));
        Path otherSeed = dir.resolve("lora-seed.gguf");
        DiffusionModelGenerator.write(DiffusionLoraSpec.of(DiffusionSpec.tinySd1()).withSeed(8), otherSeed);
        assertNotEquals(-1L, Files.mismatch(lora, otherSeed), "another seed gives other weights");
        assertEquals(Files.size(lora), Files.size(otherSeed));
    }

    @Test
    void sd1HasTheCheckpointLayoutStableDiffusionCppBuildsForSd1() throws IOException {
        GgufFile g = GgufReader.read(TestModels.sd1(dir));
        Map<String, GgufTensorInfo> t = byName(g);
        assertEquals("tiny-sd1", g.require("general.name").asString());

        // the text encoder stable-diffusion.cpp builds for SD 1.x: CLIP ViT-L/14, 768 wide, 12 layers
        tensor(t, CLIP + "embeddings.token_embedding.weight", GgmlType.Q4_0, 768, 49408);
        tensor(t, CLIP + "embeddings.position_embedding.weight", GgmlType.F32, 768, 77);
        tensor(t, CLIP + "encoder.layers.11.self_attn.q_proj.weight", GgmlType.Q4_0, 768, 768);
        tensor(t, CLIP + "encoder.layers.11.self_attn.out_proj.bias", GgmlType.F32, 768);
        tensor(t, CLIP + "encoder.layers.11.mlp.fc1.weight", GgmlType.Q4_0, 768, 3072);
        tensor(t, CLIP + "encoder.layers.11.mlp.fc2.weight", GgmlType.Q4_0, 3072, 768);
        tensor(t, CLIP + "final_layer_norm.weight", GgmlType.F32, 768);
        assertFalse(t.containsKey(CLIP + "encoder.layers.12.layer_norm1.weight"));

        // model_channels (32) and context_dim (768) are read from these
        tensor(t, UNET + "input_blocks.0.0.weight", GgmlType.F16, 3, 3, 4, 32);
        tensor(t, UNET + "time_embed.0.weight", GgmlType.Q4_0, 32, 128);
        tensor(t, UNET + "time_embed.2.weight", GgmlType.Q4_0, 128, 128);
        // 1x1 convolutions project in and out of SD 1.x transformers; heads are 8 whatever the width
        tensor(t, UNET + "input_blocks.1.1.proj_in.weight", GgmlType.F16, 1, 1, 32, 32);
        tensor(t, UNET + "input_blocks.4.0.skip_connection.weight", GgmlType.F16, 1, 1, 32, 64);
        tensor(t, UNET + "input_blocks.7.1.transformer_blocks.0.ff.net.0.proj.weight", GgmlType.Q4_0, 128, 1024);
        tensor(t, UNET + "input_blocks.9.0.op.weight", GgmlType.F16, 3, 3, 128, 128);
        tensor(t, UNET + "output_blocks.0.0.in_layers.2.weight", GgmlType.F16, 3, 3, 256, 128);
        tensor(t, UNET + "output_blocks.2.1.conv.weight", GgmlType.F16, 3, 3, 128, 128);
        tensor(t, UNET + "output_blocks.5.2.conv.weight", GgmlType.F16, 3, 3, 128, 128);
        tensor(t, UNET + "output_blocks.11.0.skip_connection.weight", GgmlType.F16, 1, 1, 64, 32);
        tensor(t, UNET + "out.2.weight", GgmlType.F16, 3, 3, 32, 4);
        // SD 1.x rather than its tiny-UNet variants: a middle transformer and attention on output block 7
        assertTrue(t.containsKey(UNET + "middle_block.1.transformer_blocks.0.attn1.to_q.weight"));
        assertTrue(t.containsKey(UNET + "output_blocks.7.1.proj_out.weight"));
        assertUnetLayout(t);
        assertContextDim(t, 768);

        assertVae(t);
        assertTypesFollowTheRoles(g);
        // the counts stable-diffusion.cpp's sd-cli (commit 97d2990) loaded from this layout, nothing unknown or missing
        assertEquals(1130, g.tensors().size());
        assertEquals(170_690_955L, g.parameterCount());
    }

    @Test
    void sd2HasAnOpenClipTextEncoderAndLinearProjections() throws IOException {
        GgufFile g = GgufReader.read(TestModels.sd2(dir));
        Map<String, GgufTensorInfo> t = byName(g);

        // stable-diffusion.cpp tells SD 2.x by this token embedding's width
        tensor(t, OPEN_CLIP + "token_embedding.weight", GgmlType.Q4_0, 1024, 49408);
        tensor(t, OPEN_CLIP + "positional_embedding", GgmlType.F32, 1024, 77);
        tensor(t, OPEN_CLIP + "transformer.resblocks.23.attn.in_proj_weight", GgmlType.Q4_0, 1024, 3072);
        tensor(t, OPEN_CLIP + "transformer.resblocks.23.attn.in_proj_bias", GgmlType.F32, 3072);
        tensor(t, OPEN_CLIP + "transformer.resblocks.23.attn.out_proj.weight", GgmlType.Q4_0, 1024, 1024);
        tensor(t, OPEN_CLIP + "transformer.resblocks.23.mlp.c_fc.weight", GgmlType.Q4_0, 1024, 4096);
        tensor(t, OPEN_CLIP + "transformer.resblocks.23.mlp.c_proj.weight", GgmlType.Q4_0, 4096, 1024);
        tensor(t, OPEN_CLIP + "ln_final.bias", GgmlType.F32, 1024);
        assertFalse(t.keySet().stream().anyMatch(n -> n.startsWith(CLIP)), "no Hugging Face CLIP names");

        tensor(t, UNET + "input_blocks.0.0.weight", GgmlType.F16, 3, 3, 4, 64);
        tensor(t, UNET + "input_blocks.1.1.proj_in.weight", GgmlType.Q4_0, 64, 64);
        tensor(t, UNET + "middle_block.1.proj_out.weight", GgmlType.Q4_0, 256, 256);
        assertUnetLayout(t);
        assertContextDim(t, 1024);

        assertVae(t);
        assertTypesFollowTheRoles(g);
        // the counts stable-diffusion.cpp's sd-cli (commit 97d2990) loaded from this layout, nothing unknown or missing
        assertEquals(1226, g.tensors().size());
        assertEquals(429_052_651L, g.parameterCount());
    }

    @Test
    void loraUpdatesEveryUnetAttentionProjectionInKohyaNames() throws IOException {
        DiffusionLoraSpec spec = DiffusionLoraSpec.of(DiffusionSpec.tinySd1());
        Path f = TestModels.sd1Lora(dir);
        GgufFile g = GgufReader.read(f);
        Map<String, GgufTensorInfo> t = byName(g);
        List<GgufTensorInfo> targets = DiffusionModelGenerator.loraTargets(DiffusionSpec.tinySd1());
        // 16 transformers (6 down, 1 middle, 9 up), two attentions each, four projections each
        assertEquals(16 * 2 * 4, targets.size());
        assertEquals(3 * targets.size(), g.tensors().size());
        for (GgufTensorInfo target : targets) {
            String module = target.name().substring(UNET.length(), target.name().length() - ".weight".length());
            String key = "lora_unet_" + module.replace('.', '_');
            long in = target.dims()[0];
            long out = target.dims()[1];
            tensor(t, key + ".lora_down.weight", GgmlType.F32, in, spec.rank());
            tensor(t, key + ".lora_up.weight", GgmlType.F32, spec.rank(), out);
            GgufTensorInfo alpha = tensor(t, key + ".alpha", GgmlType.F32, 1);
            assertEquals(spec.alpha(), GgufReader.readTensorFloats(f, g, alpha)[0]);
        }
        tensor(t, "lora_unet_middle_block_1_transformer_blocks_0_attn2_to_k.lora_down.weight", GgmlType.F32, 768, 4);
        tensor(t, "lora_unet_output_blocks_11_1_transformer_blocks_0_attn1_to_out_0.lora_up.weight", GgmlType.F32, 4, 32);
    }

    @Test
    void loraUpdatesAreAboutAlphaOverRankTimesTheWeights() throws IOException {
        DiffusionLoraSpec spec = DiffusionLoraSpec.of(DiffusionSpec.tinySd1());
        Path f = dir.resolve("lora.gguf");
        DiffusionModelGenerator.write(spec, f);
        GgufFile g = GgufReader.read(f);
        String key = "lora_unet_input_blocks_7_1_transformer_blocks_0_attn1_to_q";
        float[] down = GgufReader.readTensorFloats(f, g, g.tensor(key + ".lora_down.weight").orElseThrow());
        float[] up = GgufReader.readTensorFloats(f, g, g.tensor(key + ".lora_up.weight").orElseThrow());
        int in = 128;
        int rank = spec.rank();
        double sum = 0;
        for (int o = 0; o < 128; o++) {
            for (int i = 0; i < in; i++) {
                double d = 0;
                for (int r = 0; r < rank; r++) {
                    d += up[o * rank + r] * down[r * in + i];
                }
                d *= spec.alpha() / rank;
                sum += d * d;
            }
        }
        double std = Math.sqrt(sum / (128.0 * in));
        double weightStd = 1 / Math.sqrt(in);
        assertEquals(spec.alpha() / rank, std / weightStd, 0.3, "update std relative to the weights'");
    }

    @Test
    void specsRejectWidthsStableDiffusionCppCannotBuild() {
        assertThrows(IllegalArgumentException.class, () -> DiffusionSpec.tinySd1().withModelChannels(48));
        assertThrows(IllegalArgumentException.class, () -> DiffusionSpec.tinySd2().withModelChannels(32),
                "SD 2.x heads are 64 wide");
        assertThrows(IllegalArgumentException.class, () -> DiffusionSpec.tinySd1().withDecoderChannels(16));
        assertThrows(IllegalArgumentException.class, () -> DiffusionLoraSpec.of(DiffusionSpec.tinySd1()).withRank(0));
        DiffusionSpec wider = DiffusionSpec.tinySd1().withModelChannels(64).withDecoderChannels(64);
        GgufWriter w = DiffusionModelGenerator.writer(wider);
        Map<String, GgufTensorInfo> t = w.tensorInfos().stream().collect(Collectors.toMap(GgufTensorInfo::name, Function.identity()));
        assertArrayEquals(new long[] {3, 3, 4, 64}, t.get(UNET + "input_blocks.0.0.weight").dims());
        assertArrayEquals(new long[] {3, 3, 4, 256}, t.get(VAE + "decoder.conv_in.weight").dims());
    }

    /** The fixed block structure: which blocks exist, and where the transformers and resamplers are. */
    private static void assertUnetLayout(Map<String, GgufTensorInfo> t) {
        for (int b = 1; b <= 11; b++) {
            boolean down = b == 3 || b == 6 || b == 9;
            assertEquals(down, t.containsKey(UNET + "input_blocks." + b + ".0.op.weight"), "input block " + b);
            assertEquals(!down, t.containsKey(UNET + "input_blocks." + b + ".0.in_layers.0.weight"), "input block " + b);
            boolean attention = b <= 8 && !down;
            assertEquals(attention, t.containsKey(UNET + "input_blocks." + b + ".1.norm.weight"), "input block " + b);
        }
        assertFalse(t.containsKey(UNET + "input_blocks.12.0.in_layers.0.weight"));
        for (int b = 0; b <= 11; b++) {
            assertTrue(t.containsKey(UNET + "output_blocks." + b + ".0.in_layers.0.weight"), "output block " + b);
            assertEquals(b >= 3, t.containsKey(UNET + "output_blocks." + b + ".1.norm.weight"), "output block " + b);
            boolean up = b == 2 || b == 5 || b == 8;
            int upIndex = b == 2 ? 1 : 2;
            assertEquals(up, t.containsKey(UNET + "output_blocks." + b + "." + upIndex + ".conv.weight"), "output block " + b);
        }
        assertFalse(t.containsKey(UNET + "output_blocks.12.0.in_layers.0.weight"));
        for (String m : new String[] {"0", "2"}) {
            assertTrue(t.containsKey(UNET + "middle_block." + m + ".emb_layers.1.weight"));
        }
    }

    /** Every cross-attention key and value projection reads the text encoder's width. */
    private static void assertContextDim(Map<String, GgufTensorInfo> t, int width) {
        List<GgufTensorInfo> kv = t.values().stream()
                .filter(i -> i.name().endsWith("attn2.to_k.weight") || i.name().endsWith("attn2.to_v.weight")).toList();
        assertEquals(32, kv.size());
        for (GgufTensorInfo i : kv) {
            assertEquals(width, i.dims()[0], i.name());
        }
    }

    /** The VAE: the encoder at its fixed width 128, the decoder 32 wide, the quantization convolutions. */
    private static void assertVae(Map<String, GgufTensorInfo> t) {
        tensor(t, VAE + "encoder.conv_in.weight", GgmlType.F16, 3, 3, 3, 128);
        tensor(t, VAE + "encoder.down.1.block.0.nin_shortcut.weight", GgmlType.F16, 1, 1, 128, 256);
        tensor(t, VAE + "encoder.down.2.downsample.conv.weight", GgmlType.F16, 3, 3, 512, 512);
        assertFalse(t.containsKey(VAE + "encoder.down.3.downsample.conv.weight"));
        tensor(t, VAE + "encoder.mid.attn_1.proj_out.weight", GgmlType.F16, 1, 1, 512, 512);
        tensor(t, VAE + "encoder.conv_out.weight", GgmlType.F16, 3, 3, 512, 8);
        tensor(t, VAE + "quant_conv.weight", GgmlType.F16, 1, 1, 8, 8);
        tensor(t, VAE + "post_quant_conv.weight", GgmlType.F16, 1, 1, 4, 4);
        tensor(t, VAE + "decoder.conv_in.weight", GgmlType.F16, 3, 3, 4, 128);
        tensor(t, VAE + "decoder.mid.attn_1.q.weight", GgmlType.F16, 1, 1, 128, 128);
        tensor(t, VAE + "decoder.up.3.block.2.conv2.weight", GgmlType.F16, 3, 3, 128, 128);
        tensor(t, VAE + "decoder.up.1.block.0.nin_shortcut.weight", GgmlType.F16, 1, 1, 128, 64);
        tensor(t, VAE + "decoder.up.1.upsample.conv.weight", GgmlType.F16, 3, 3, 64, 64);
        assertFalse(t.containsKey(VAE + "decoder.up.0.upsample.conv.weight"));
        tensor(t, VAE + "decoder.norm_out.weight", GgmlType.F32, 32);
        tensor(t, VAE + "decoder.conv_out.weight", GgmlType.F16, 3, 3, 32, 3);
    }

    /**
     * Kernels are F16, vectors F32, matrices Q4_0 (but the position embedding); every name fits the name
     * limit and lies under one of the three checkpoint prefixes.
     */
    private static void assertTypesFollowTheRoles(GgufFile g) {
        for (GgufTensorInfo i : g.tensors()) {
            GgmlType expected = switch (i.dims().length) {
                case 4 -> GgmlType.F16;
                case 1 -> GgmlType.F32;
                default -> i.name().contains("position") ? GgmlType.F32 : GgmlType.Q4_0;
            };
            assertEquals(expected, i.type(), i.name());
            assertTrue(i.name().getBytes(StandardCharsets.UTF_8).length < GgufWriter.DIFFUSION_MAX_NAME_BYTES, i.name());
            assertTrue(i.name().startsWith("cond_stage_model.") || i.name().startsWith(UNET) || i.name().startsWith(VAE),
                    i.name());
        }
    }

    private static Map<String, GgufTensorInfo> byName(GgufFile g) {
        return g.tensors().stream().collect(Collectors.toMap(GgufTensorInfo::name, Function.identity()));
    }

    private static GgufTensorInfo tensor(Map<String, GgufTensorInfo> t, String name, GgmlType type, long... dims) {
        GgufTensorInfo i = t.get(name);
        assertTrue(i != null, "missing " + name);
        assertEquals(type, i.type(), name);
        assertArrayEquals(dims, i.dims(), name);
        return i;
    }
}
