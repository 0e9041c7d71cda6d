package io.llamabox.image.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.image.jni.DiffusionModelParams;
import io.llamabox.image.jni.RawImage;
import io.llamabox.image.jni.Upscaler;
import io.llamabox.spi.EngineException;
import io.llamabox.spi.TaskHandle;
import io.llamabox.spi.image.GeneratedImage;
import io.llamabox.spi.image.ImageListener;
import io.llamabox.spi.image.ImagePreview;
import io.llamabox.spi.image.ImageRequest;
import io.llamabox.spi.image.ImageUsage;
import io.llamabox.testkit.model.TestModels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The image engine on a generated SD 1.x model: steps in order, PNGs, the queue, cancellation, defaults. */
class DiffusionImageEngineTest {
    private static DiffusionImageEngine engine;

    @BeforeAll
    static void load() {
        engine = DiffusionImageEngine.load(ImageEngineSettings.of(
                DiffusionModelParams.builder(TestModels.sd1()).threads(2).build()));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    /** Records what a generation reports. */
    static final class Recorder implements ImageListener {
        final List<int[]> steps = new ArrayList<>();
        final List<Integer> previews = new ArrayList<>();
        final CompletableFuture<List<GeneratedImage>> done = new CompletableFuture<>();
        ImageUsage usage;
        Consumer<int[]> onStep = s -> { };

        @Override
        public synchronized void onStep(int index, int step, int steps) {
            int[] s = {index, step, steps};
            this.steps.add(s);
            onStep.accept(s);
        }

        @Override
        public synchronized void onPreview(int index, int step, GeneratedImage preview) {
            previews.add(step);
        }

        @Override
        public void onComplete(List<GeneratedImage> images, ImageUsage usage) {
            this.usage = usage;
            done.complete(images);
        }

        @Override
        public void onError(EngineException error) {
            done.completeExceptionally(error);
        }

        List<GeneratedImage> images() throws Exception {
            return done.get(300, TimeUnit.SECONDS); // a guard against a hang, not a measure
        }
    }

    private static ImageRequest request(String prompt, int count, long seed, String sampler, ImagePreview preview) {
        return new ImageRequest("test", prompt, "", 256, 256, count, sampler, "default", 2, 7.0, 3.5, seed, Map.of(),
                preview);
    }

    private static BufferedImage decode(GeneratedImage image) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(image.png()));
    }

    @Test
    void anUpscalerEnlargesEveryFinishedImageAsItsOwnRunWould() throws Exception {
        ImageEngineSettings plain = ImageEngineSettings.of(DiffusionModelParams.builder(TestModels.sd1()).threads(2)
                .build());
        ImageEngineSettings upscaling = new ImageEngineSettings(plain.model(), plain.loras(), plain.sampleMethod(),
                plain.schedule(), plain.steps(), plain.cfgScale(), plain.guidance(), plain.skipLayerGuidance(),
                plain.vaeTiling(), plain.strength(),
                java.util.Optional.of(new ImageEngineSettings.Upscaling(TestModels.esrgan(), 1)));
        Recorder small = new Recorder();
        engine.generate(request("a red car", 1, 8, "euler", ImagePreview.NONE), small);
        BufferedImage before = decode(small.images().getFirst());
        Recorder large = new Recorder();
        try (DiffusionImageEngine upscaled = DiffusionImageEngine.load(upscaling)) {
            upscaled.generate(request("a red car", 1, 8, "euler", ImagePreview.NONE), large);
            BufferedImage after = decode(large.images().getFirst());
            assertEquals(1024, after.getWidth(), "256 pixels, x4");
            assertEquals(1024, after.getHeight());
            byte[] rgb = new byte[256 * 256 * 3];
            for (int i = 0; i < 256 * 256; i++) {
                int p = before.getRGB(i % 256, i / 256);
                rgb[3 * i] = (byte) (p >> 16);
                rgb[3 * i + 1] = (byte) (p >> 8);
                rgb[3 * i + 2] = (byte) p;
            }
            RawImage expected;
            try (Upscaler alone = Upscaler.load(TestModels.esrgan(), 2)) {
                expected = alone.upscale(new RawImage(256, 256, 3, rgb), 1);
            }
            for (int i = 0; i < 1024 * 1024; i++) {
                int p = after.getRGB(i % 1024, i / 1024);
                int e = (expected.pixels()[3 * i] & 0xff) << 16 | (expected.pixels()[3 * i + 1] & 0xff) << 8
                        | (expected.pixels()[3 * i + 2] & 0xff);
                assertEquals(e, p & 0xffffff, "pixel " + i + " is the upscaler's own");
            }
        }
    }

    @Test
    void theModelsFamilyDecidesTheDefaults() {
        assertEquals("SD1", engine.model().family());
        assertEquals("euler_a", engine.model().defaults().sampleMethod());
        assertEquals(20, engine.model().defaults().steps());
        assertEquals(7.0, engine.model().defaults().cfgScale());
    }

    @Test
    void twoImagesReportTheirStepsInOrderAndComeAsPngs() throws Exception {
        Recorder r = new Recorder();
        engine.generate(request("a cat", 2, 42, "euler_a", ImagePreview.NONE), r);
        List<GeneratedImage> images = r.images();
        assertEquals(2, images.size());
        for (GeneratedImage image : images) {
            BufferedImage png = decode(image);
            assertEquals(256, png.getWidth());
            assertEquals(256, png.getHeight());
        }
        assertFalse(java.util.Arrays.equals(images.get(0).png(), images.get(1).png()), "the second seed differs");
        List<String> seen = r.steps.stream().map(s -> s[0] + ":" + s[1] + "/" + s[2]).toList();
        assertEquals(List.of("0:1/2", "0:2/2", "1:1/2", "1:2/2"), seen);
        assertTrue(r.usage.timePerGenerationMillis() > 0 && r.usage.generationsPerSecond() > 0, r.usage.toString());
        assertTrue(engine.metrics().generateSteps() >= 4);
    }

    @Test
    void theSameSeedGivesTheSameImageAndTheNextSeedTheSecondImageOfABatch() throws Exception {
        Recorder pair = new Recorder();
        engine.generate(request("a dog", 2, 7, "euler", ImagePreview.NONE), pair);
        Recorder second = new Recorder();
        engine.generate(request("a dog", 1, 8, "euler", ImagePreview.NONE), second);
        Recorder first = new Recorder();
        engine.generate(request("a dog", 1, 7, "euler", ImagePreview.NONE), first);
        List<GeneratedImage> both = pair.images();
        assertArrayEquals(both.get(0).png(), first.images().get(0).png());
        assertArrayEquals(both.get(1).png(), second.images().get(0).png());
    }

    @Test
    void previewsComeOnlyWhenAsked() throws Exception {
        Recorder plain = new Recorder();
        engine.generate(request("a tree", 1, 1, "euler_a", ImagePreview.NONE), plain);
        plain.images();
        assertTrue(plain.previews.isEmpty());
        Recorder fast = new Recorder();
        engine.generate(request("a tree", 1, 1, "euler_a", ImagePreview.FAST), fast);
        assertArrayEquals(plain.images().get(0).png(), fast.images().get(0).png(), "previews do not change the image");
        assertEquals(List.of(1, 2), fast.previews);
    }

    @Test
    void aCancelledGenerationStopsAndTheQueueMovesOn() throws Exception {
        Recorder running = new Recorder();
        Recorder waiting = new Recorder();
        Recorder after = new Recorder();
        TaskHandle[] handles = new TaskHandle[2];
        CountDownLatch submitted = new CountDownLatch(1);
        running.onStep = s -> {
            // on the engine's thread, at the first step: the second request is queued behind this one
            try {
                submitted.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handles[1].cancel();
            handles[0].cancel();
        };
        ImageRequest slow = new ImageRequest("slow", "a house", "", 256, 256, 1, "euler", "default", 50, 7.0, 3.5, 3,
                Map.of(), ImagePreview.NONE);
        handles[0] = engine.generate(slow, running);
        handles[1] = engine.generate(request("a boat", 1, 4, "euler", ImagePreview.NONE), waiting);
        submitted.countDown();
        engine.generate(request("a car", 1, 5, "euler", ImagePreview.NONE), after);
        Exception e1 = assertThrows(Exception.class, running::images);
        assertTrue(e1.getCause() instanceof EngineException, e1.toString());
        assertTrue(running.steps.size() < 50, "stopped early: " + running.steps.size() + " steps");
        assertThrows(Exception.class, waiting::images);
        assertTrue(waiting.steps.isEmpty(), "the queued request never ran");
        assertEquals(1, after.images().size(), "the next request runs");
    }

    @Test
    void unknownNamesAndLoraIdsAreTheCallersError() {
        EngineException sampler = assertThrows(EngineException.class,
                () -> engine.generate(request("x", 1, 1, "nonsense", ImagePreview.NONE), new Recorder()));
        assertEquals(EngineException.Kind.INVALID_REQUEST, sampler.kind());
        assertTrue(sampler.getMessage().contains("nonsense"), sampler.getMessage());
        ImageRequest lora = new ImageRequest("x", "x", "", 256, 256, 1, "euler", "default", 2, 7, 3.5, 1,
                Map.of(3, 1f), ImagePreview.NONE);
        EngineException id = assertThrows(EngineException.class, () -> engine.generate(lora, new Recorder()));
        assertTrue(id.getMessage().contains("id 3"), id.getMessage());
        assertNotEquals(null, engine.model().path());
    }
}
