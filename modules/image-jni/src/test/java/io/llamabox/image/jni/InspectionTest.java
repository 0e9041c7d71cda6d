package io.llamabox.image.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.testkit.gguf.GgmlType;
import io.llamabox.testkit.gguf.GgufWriter;
import io.llamabox.testkit.gguf.TensorSource;
import io.llamabox.testkit.model.TestModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inspection reads a model's headers with stable-diffusion.cpp's own loader: files it cannot use give a
 * DiffusionException that says why, and the JVM goes on.
 */
class InspectionTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.gguf");
        DiffusionException e = assertThrows(DiffusionException.class, () -> DiffusionContext.inspect(missing));
        assertTrue(e.getMessage().contains("not found") && e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void aTextLlmGgufIsNotADiffusionModel() {
        Path llama = TestModels.llama();
        DiffusionException e = assertThrows(DiffusionException.class, () -> DiffusionContext.inspect(llama));
        assertTrue(e.getMessage().contains("not a diffusion model") && e.getMessage().contains(llama.toString()),
                e.getMessage());
        // and the same file cannot be loaded either: inspection stops it before stable-diffusion.cpp's context
        assertThrows(DiffusionException.class, () -> DiffusionContext.load(ImageFixtures.params(llama)));
    }

    @Test
    void aTruncatedGgufIsRefused() throws IOException {
        byte[] full = Files.readAllBytes(TestModels.llama());
        for (int keep : new int[] {full.length - 1, full.length / 2, 4096, 64, 8, 4, 0}) {
            Path cut = dir.resolve("cut-" + keep + ".gguf");
            Files.write(cut, Arrays.copyOf(full, keep));
            DiffusionException e = assertThrows(DiffusionException.class, () -> DiffusionContext.inspect(cut));
            assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
        }
    }

    @Test
    void aTruncatedTensorIsNamed() throws IOException {
        byte[] full = Files.readAllBytes(TestModels.llama());
        Path cut = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(full, full.length - 1));
        DiffusionException e = assertThrows(DiffusionException.class, () -> DiffusionContext.inspect(cut));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void randomBytesAreNotAModel() throws IOException {
        Random random = new Random(20260819);
        String[] names = {"noise.gguf", "noise.safetensors", "noise.ckpt", "noise.bin", "noise.pt", "noise"};
        for (int size : new int[] {1, 7, 8, 64, 1000, 65536}) {
            for (String name : names) {
                byte[] bytes = new byte[size];
                random.nextBytes(bytes);
                Path file = Files.write(dir.resolve(size + "-" + name), bytes);
                assertThrows(DiffusionException.class, () -> DiffusionContext.inspect(file), file.toString());
            }
        }
    }

    @Test
    void filesThatLookLikeFormatsButAreNotAreRefused() throws IOException {
        byte[] gguf = "GGUF\u0003\u0000\u0000\u0000garbage after the magic".getBytes(StandardCharsets.ISO_8859_1);
        byte[] zip = "PK\u0003\u0004 not really a zip archive".getBytes(StandardCharsets.ISO_8859_1);
        byte[] safetensors = new byte[64];
        safetensors[0] = 40; // an 8-byte header length of 40, then no JSON
        byte[] hugeHeader = new byte[16];
        Arrays.fill(hugeHeader, 0, 8, (byte) 0x7f);
        Path[] files = {
            Files.write(dir.resolve("magic.gguf"), gguf),
            Files.write(dir.resolve("archive.ckpt"), zip),
            Files.write(dir.resolve("short.safetensors"), safetensors),
            Files.write(dir.resolve("huge.safetensors"), hugeHeader),
            Files.writeString(dir.resolve("index.json"), "{\"weight_map\": {\"a\": \"missing.safetensors\"}}"),
            Files.writeString(dir.resolve("empty.json"), "not json"),
            Files.write(dir.resolve("empty.gguf"), new byte[0]),
        };
        for (Path file : files) {
            assertThrows(DiffusionException.class, () -> DiffusionContext.inspect(file), file.toString());
        }
    }

    @Test
    void aDirectoryWithoutDiffusersWeightsIsRefused() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("not-diffusers"));
        assertThrows(DiffusionException.class, () -> DiffusionContext.inspect(empty));
    }

    @Test
    void theFamilyComesFromStableDiffusionCppsDetector() throws IOException {
        // Only the tensor names and shapes matter to the detector: a header-only SD 1.x file.
        Path sd1 = headerOnly("sd1-names.gguf",
                "te.text_model.embeddings.token_embedding.weight", 768,
                "model.diffusion_model.input_blocks.0.0.weight", 320,
                "model.diffusion_model.middle_block.1.proj_in.weight", 320,
                "model.diffusion_model.output_blocks.7.1.proj_in.weight", 320);
        ModelInspection inspection = DiffusionContext.inspect(sd1);
        assertEquals("SD1", inspection.family());
        assertEquals("SD 1.x", inspection.version());
        assertEquals(Set.of("clip"), inspection.vocabularies());
        assertFalse(inspection.needsT5());
    }

    @Test
    void aModelThatLacksTensorsIsRefusedByLoadingWithTheReason() throws IOException {
        Path sd1 = headerOnly("sd1-names-only.gguf",
                "te.text_model.embeddings.token_embedding.weight", 768,
                "model.diffusion_model.input_blocks.0.0.weight", 320,
                "model.diffusion_model.middle_block.1.proj_in.weight", 320,
                "model.diffusion_model.output_blocks.7.1.proj_in.weight", 320);
        DiffusionException e = assertThrows(DiffusionException.class,
                () -> DiffusionContext.load(ImageFixtures.params(sd1)));
        assertTrue(e.getMessage().contains("could not load") && e.getMessage().contains("not in model metadata"),
                e.getMessage());
        assertTrue(e.getMessage().length() < 2000, "the reason is summed up, the details are in the log");
    }

    @Test
    void generatedStableDiffusionModelsAreRecognised() {
        assertEquals("SD1", DiffusionContext.inspect(ImageFixtures.requireSd1()).family());
        ModelInspection sd2 = DiffusionContext.inspect(ImageFixtures.requireSd2());
        assertEquals("SD2", sd2.family());
        assertEquals(Set.of("clip"), sd2.vocabularies());
    }

    @Test
    void aTruncatedDiffusionModelIsRefusedBeforeLoading() throws IOException {
        Path model = ImageFixtures.requireSd1();
        Path cut = dir.resolve("sd1-cut.gguf");
        try (var in = Files.newInputStream(model); var out = Files.newOutputStream(cut)) {
            out.write(in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, Files.size(model) - 4096)));
        }
        DiffusionException e = assertThrows(DiffusionException.class,
                () -> DiffusionContext.load(ImageFixtures.params(cut)));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aModelWhoseTextEncoderNeedsAMissingVocabularyIsRefusedByName() throws IOException {
        record Case(String tensor, String family, String vocabulary) {
        }
        Case[] cases = {
            new Case("model.diffusion_model.double_blocks.0.img_attn.qkv.weight", "FLUX", "t5"),
            new Case("model.diffusion_model.joint_blocks.0.x_block.attn.qkv.weight", "SD3", "t5"),
            new Case("model.diffusion_model.blocks.0.cross_attn.norm_k.weight", "WAN", "umt5"),
            new Case("model.diffusion_model.transformer_blocks.0.img_mod.1.weight", "QWEN_IMAGE", "qwen2"),
        };
        for (Case c : cases) {
            Path file = headerOnly(c.family() + ".gguf", c.tensor(), 64);
            if (DiffusionLibrary.vocabularies().contains(c.vocabulary())) {
                assertEquals(c.family(), DiffusionContext.inspect(file).family());
                continue;
            }
            MissingVocabularyException e = assertThrows(MissingVocabularyException.class,
                    () -> DiffusionContext.inspect(file));
            assertEquals(c.family(), e.family());
            assertTrue(e.missing().contains(c.vocabulary()), e.missing().toString());
            assertTrue(e.getMessage().contains(c.vocabulary()) && e.getMessage().contains("LLAMABOX_SD_SOURCE_DIR"),
                    e.getMessage());
            // loading stops at the same point, before stable-diffusion.cpp would build a tokenizer without words
            assertThrows(MissingVocabularyException.class, () -> DiffusionContext.load(ImageFixtures.params(file)));
        }
    }

    @Test
    void theVendoredBuildHasTheClipVocabulary() {
        assertTrue(DiffusionLibrary.vocabularies().contains("clip"), DiffusionLibrary.vocabularies().toString());
    }

    /** A GGUF of small F32 tensors (name, ne[0] pairs) whose values do not matter. */
    private Path headerOnly(String name, Object... tensors) throws IOException {
        GgufWriter writer = new GgufWriter();
        for (int i = 0; i < tensors.length; i += 2) {
            writer.addTensor((String) tensors[i], GgmlType.F32, new long[] {(Integer) tensors[i + 1], 1},
                    TensorSource.constant(0f));
        }
        Path file = dir.resolve(name);
        writer.write(file);
        return file;
    }
}
