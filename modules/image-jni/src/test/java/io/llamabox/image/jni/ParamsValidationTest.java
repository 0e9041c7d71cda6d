package io.llamabox.image.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad values are refused in Java, with the field named, before anything reaches native code. */
class ParamsValidationTest {
    @TempDir
    Path dir;

    private static void refused(UnaryOperator<GenerationParams.Builder> change, String field) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> change.apply(GenerationParams.builder("a cat")).build());
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    @Test
    void generationValuesOutOfRangeAreRefused() {
        refused(b -> b.width(0), "width");
        refused(b -> b.width(100), "width");
        refused(b -> b.height(-8), "height");
        refused(b -> b.height(GenerationParams.MAX_SIDE + 8), "height");
        refused(b -> b.steps(0), "steps");
        refused(b -> b.batchCount(0), "batchCount");
        refused(b -> b.clipSkip(0), "clipSkip");
        refused(b -> b.cfgScale(Float.NaN), "cfgScale");
        refused(b -> b.cfgScale(Float.POSITIVE_INFINITY), "cfgScale");
        refused(b -> b.guidance(Float.NEGATIVE_INFINITY), "guidance");
        refused(b -> b.eta(Float.POSITIVE_INFINITY), "eta");
        refused(b -> b.imageCfgScale(Float.POSITIVE_INFINITY), "imageCfgScale");
        refused(b -> b.strength(1.5f), "strength");
        refused(b -> b.skipLayerGuidance(List.of(7, -1), 0.01f, 0.2f, 2.5f), "skip layers");
        refused(b -> b.skipLayerGuidance(List.of(7), 0.5f, 0.2f, 2.5f), "skip-layer");
        refused(b -> b.skipLayerGuidance(List.of(7), 0.01f, 0.2f, Float.NaN), "skipLayerScale");
        refused(b -> b.preview(PreviewMode.PROJ, 0, false), "previewInterval");
        assertThrows(NullPointerException.class, () -> GenerationParams.builder(null).build());
    }

    @Test
    void defaultsAreStableDiffusionCppsAndAccepted() {
        GenerationParams p = GenerationParams.builder("a cat").build();
        assertEquals(512, p.width());
        assertEquals(20, p.steps());
        assertEquals(7.0f, p.cfgScale());
        assertEquals(GenerationParams.DEFAULT, p.sampleMethod());
        assertTrue(Float.isNaN(p.eta()), "NaN eta is the sampler's default");
        assertEquals(p, p.toBuilder().build());
    }

    @Test
    void aLoraMustBeAReadableFileWithAFiniteMultiplier() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new Lora(dir.resolve("none.safetensors"), 1f));
        Path file = Files.writeString(dir.resolve("l.safetensors"), "x");
        assertThrows(IllegalArgumentException.class, () -> new Lora(file, Float.NaN));
        assertEquals(0.5f, new Lora(file, 0.5f).multiplier());
    }

    @Test
    void modelFilesMustExistAndThreadsBePositive() throws Exception {
        Path missing = dir.resolve("missing.gguf");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DiffusionModelParams.of(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        Path model = Files.writeString(dir.resolve("m.gguf"), "x");
        assertThrows(IllegalArgumentException.class, () -> DiffusionModelParams.builder(model).threads(0).build());
        assertThrows(IllegalArgumentException.class, () -> DiffusionModelParams.builder(model).vae(missing).build());
        assertThrows(IllegalArgumentException.class, () -> DiffusionModelParams.builder(model).vae(dir).build());
        assertThrows(IllegalArgumentException.class, () -> DiffusionModelParams.builder(null).build());
        DiffusionModelParams p = DiffusionModelParams.builder(model).vaeOffload(true).textEncoderOffload(true).build();
        assertEquals("te=cpu,vae=cpu", p.backendAssignment());
        assertEquals(RngType.CUDA, p.rngType());
        assertEquals(p, p.toBuilder().build());
    }

    @Test
    void rawImagesMustHoldTheirPixels() {
        assertThrows(IllegalArgumentException.class, () -> new RawImage(2, 2, 3, new byte[11]));
        assertThrows(IllegalArgumentException.class, () -> new RawImage(0, 2, 3, new byte[0]));
        assertEquals(12, new RawImage(2, 2, 3, new byte[12]).pixels().length);
    }
}
