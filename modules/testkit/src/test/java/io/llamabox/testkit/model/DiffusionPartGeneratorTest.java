package io.llamabox.testkit.model;

import io.llamabox.testkit.gguf.GgmlType;
import io.llamabox.testkit.gguf.GgufFile;
import io.llamabox.testkit.gguf.GgufReader;
import io.llamabox.testkit.gguf.GgufTensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiffusionPartGeneratorTest {

    private static final String UNET = DiffusionModelGenerator.UNET_PREFIX;

    @TempDir
    static Path dir;

    @Test
    void inpaintingModelDiffersFromSd1OnlyInTheUnetsFirstConvolution() {
        Map<String, GgufTensorInfo> sd1 = byName(DiffusionModelGenerator.writer(DiffusionSpec.tinySd1()).tensorInfos());
        Map<String, GgufTensorInfo> inpaint = byName(DiffusionModelGenerator.writer(DiffusionSpec.tinySd1Inpaint()).tensorInfos());
        assertEquals(sd1.keySet(), inpaint.keySet());
        // stable-diffusion.cpp reads "SD 1.x Inpaint" from these 9 input channels: latent, mask, masked latent
        tensor(inpaint, UNET + "input_blocks.0.0.weight", GgmlType.F16, 3, 3, 9, 32);
        for (String name : sd1.keySet()) {
            if (!name.equals(UNET + "input_blocks.0.0.weight")) {
                assertArrayEquals(sd1.get(name).dims(), inpaint.get(name).dims(), name);
            }
        }
    }

    @Test
    void taesdHasTheTinyAutoencodersEncoderAndDecoder() throws IOException {
        GgufFile g = GgufReader.read(TestModels.taesd(dir));
        Map<String, GgufTensorInfo> t = byName(g.tensors());
        assertEquals("tiny-taesd", g.require("general.name").asString());
        tensor(t, "encoder.layers.0.weight", GgmlType.F16, 3, 3, 3, 64);
        tensor(t, "encoder.layers.14.weight", GgmlType.F16, 3, 3, 64, 4);
        tensor(t, "decoder.layers.0.weight", GgmlType.F16, 3, 3, 4, 64);
        tensor(t, "decoder.layers.17.conv.4.bias", GgmlType.F32, 64);
        tensor(t, "decoder.layers.18.weight", GgmlType.F16, 3, 3, 64, 3);
        // the strided and upsampling convolutions have no bias; the activations and upsamplings no weights
        tensor(t, "encoder.layers.2.weight", GgmlType.F16, 3, 3, 64, 64);
        assertFalse(t.containsKey("encoder.layers.2.bias"));
        tensor(t, "decoder.layers.16.weight", GgmlType.F16, 3, 3, 64, 64);
        assertFalse(t.containsKey("decoder.layers.16.bias"));
        for (int skipped : new int[] {1, 5, 10, 15}) {
            assertFalse(t.containsKey("decoder.layers." + skipped + ".weight"));
        }
        // sd-cli (this commit's stable-diffusion.cpp) reads the decoder's 67 for text-to-image, the encoder's 67 for edits
        assertEquals(134, g.tensors().size());
        assertEquals(2_445_063L, g.parameterCount());
    }

    @Test
    void esrganIsAnX4RrdbNetWithOneBlock() throws IOException {
        GgufFile g = GgufReader.read(TestModels.esrgan(dir));
        Map<String, GgufTensorInfo> t = byName(g.tensors());
        tensor(t, "conv_first.weight", GgmlType.F16, 3, 3, 3, 64);
        tensor(t, "body.0.rdb1.conv1.weight", GgmlType.F16, 3, 3, 64, 32);
        tensor(t, "body.0.rdb3.conv5.weight", GgmlType.F16, 3, 3, 192, 64);
        assertFalse(t.containsKey("body.1.rdb1.conv1.weight"), "stable-diffusion.cpp counts the blocks it finds");
        // conv_up2 makes it x4
        tensor(t, "conv_up2.weight", GgmlType.F16, 3, 3, 64, 64);
        tensor(t, "conv_last.bias", GgmlType.F32, 3);
        assertEquals(42, g.tensors().size());
        assertEquals(870_659L, g.parameterCount());
    }

    @Test
    void controlNetMirrorsTheInputSideOfA320WideUnetWithHintEncoderAndZeroConvolutions() {
        List<GgufTensorInfo> infos = DiffusionPartGenerator.writer(DiffusionPartSpec.of(DiffusionPartSpec.Kind.CONTROL_NET)).tensorInfos();
        Map<String, GgufTensorInfo> t = byName(infos);
        Map<String, GgufTensorInfo> base = byName(DiffusionModelGenerator.writer(DiffusionSpec.sd1ForControlNet()).tensorInfos());
        // the UNet's time embedding, input side and middle block under the same names without the UNet prefix
        for (String name : base.keySet()) {
            if (name.startsWith(UNET + "input_blocks.") || name.startsWith(UNET + "middle_block.") || name.startsWith(UNET + "time_embed.")) {
                String own = name.substring(UNET.length());
                assertTrue(t.containsKey(own), own);
                assertArrayEquals(base.get(name).dims(), t.get(own).dims(), own);
            }
        }
        tensor(t, "input_hint_block.0.weight", GgmlType.F16, 3, 3, 3, 16);
        tensor(t, "input_hint_block.14.weight", GgmlType.F16, 3, 3, 256, 320);
        tensor(t, "zero_convs.0.0.weight", GgmlType.F16, 1, 1, 320, 320);
        tensor(t, "zero_convs.11.0.weight", GgmlType.F16, 1, 1, 1280, 1280);
        assertFalse(t.containsKey("zero_convs.12.0.weight"));
        tensor(t, "middle_block_out.0.weight", GgmlType.F16, 1, 1, 1280, 1280);
        assertFalse(t.keySet().stream().anyMatch(n -> n.startsWith("output_blocks.") || n.startsWith("out.")), "no output side");
        assertEquals(340, infos.size());
        assertEquals(361_279_120L, DiffusionPartSpec.of(DiffusionPartSpec.Kind.CONTROL_NET).parameterCount());
    }

    @Test
    void sameSpecGivesTheSameFileAndAnotherSeedOtherWeights() throws IOException {
        DiffusionPartSpec spec = DiffusionPartSpec.of(DiffusionPartSpec.Kind.ESRGAN);
        Path direct = dir.resolve("esrgan-direct.gguf");
        DiffusionPartGenerator.write(spec, direct);
        assertEquals(-1L, Files.mismatch(TestModels.esrgan(dir), direct));
        Path otherSeed = dir.resolve("esrgan-seed.gguf");
        DiffusionPartGenerator.write(spec.withSeed(7), otherSeed);
        assertNotEquals(-1L, Files.mismatch(direct, otherSeed));
        assertEquals(Files.size(direct), Files.size(otherSeed));
    }

    private static Map<String, GgufTensorInfo> byName(List<GgufTensorInfo> tensors) {
        return tensors.stream().collect(Collectors.toMap(GgufTensorInfo::name, Function.identity()));
    }

    private static void tensor(Map<String, GgufTensorInfo> t, String name, GgmlType type, long... dims) {
        GgufTensorInfo i = t.get(name);
        assertTrue(i != null, "missing " + name);
        assertEquals(type, i.type(), name);
        assertArrayEquals(dims, i.dims(), name);
    }
}
