package io.llamabox.image.jni;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Generation on a random-weight SD 1.x model: sizes, seeds, listener, previews, cancellation, handles. */
class DiffusionContextTest {
    private static DiffusionContext context;

    @BeforeAll
    static void load() {
        context = DiffusionContext.load(ImageFixtures.params(ImageFixtures.requireSd1()));
    }

    @AfterAll
    static void close() {
        if (context != null) {
            context.close();
        }
    }

    private static GenerationParams.Builder small(long seed) {
        return GenerationParams.builder("a red cube on a table").size(64, 64).steps(2).seed(seed)
                .sampleMethod("euler_a").scheduler("discrete");
    }

    @Test
    void inspectionNamesTheFamily() {
        assertEquals("SD1", context.family());
        assertTrue(context.inspection().vocabularies().contains("clip"));
    }

    @Test
    void defaultsAreNamesTheLibraryKnows() {
        String sampler = context.defaultSampleMethod();
        assertTrue(DiffusionLibrary.sampleMethods().contains(sampler), sampler);
        assertTrue(DiffusionLibrary.schedulers().contains(context.defaultScheduler(sampler)));
        assertEquals(context.defaultScheduler(sampler), context.defaultScheduler(GenerationParams.DEFAULT));
    }

    @Test
    void generatesRgbImagesOfTheSizeAsked() {
        List<RawImage> images = context.generate(small(1).size(64, 128).build(), GenerationListener.NONE);
        assertEquals(1, images.size());
        RawImage image = images.get(0);
        assertEquals(64, image.width());
        assertEquals(128, image.height());
        assertEquals(3, image.channels());
    }

    @Test
    void sizesAreRoundedUpToTheModelsMultiple() {
        // a UNet model works in multiples of 64 pixels (VAE factor 8 times three downsamplings)
        RawImage image = context.generate(small(1).size(72, 96).build(), GenerationListener.NONE).get(0);
        assertEquals(128, image.width());
        assertEquals(128, image.height());
    }

    @Test
    void theSameSeedGivesTheSameImageAndAnotherSeedAnother() {
        byte[] a = context.generate(small(7).build(), GenerationListener.NONE).get(0).pixels();
        byte[] b = context.generate(small(7).build(), GenerationListener.NONE).get(0).pixels();
        byte[] c = context.generate(small(8).build(), GenerationListener.NONE).get(0).pixels();
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void aBatchUsesConsecutiveSeeds() {
        List<RawImage> batch = context.generate(small(20).batchCount(2).build(), GenerationListener.NONE);
        assertEquals(2, batch.size());
        byte[] second = context.generate(small(21).build(), GenerationListener.NONE).get(0).pixels();
        assertArrayEquals(second, batch.get(1).pixels());
    }

    @Test
    void theListenerHearsTheStartAndEveryStep() {
        List<Integer> steps = new ArrayList<>();
        context.generate(small(3).steps(3).build(), (step, total, seconds) -> {
            assertEquals(3, total);
            assertTrue(seconds >= 0);
            steps.add(step);
        });
        assertEquals(List.of(0, 1, 2, 3), steps);
    }

    @Test
    void previewsArriveWithFrames() {
        List<RawImage> previews = new ArrayList<>();
        GenerationListener listener = new GenerationListener() {
            @Override
            public void step(int step, int steps, float seconds) {
            }

            @Override
            public void preview(int step, List<RawImage> frames, boolean noisy) {
                assertFalse(noisy);
                previews.addAll(frames);
            }
        };
        context.generate(small(4).preview(PreviewMode.PROJ, 1, false).build(), listener);
        assertFalse(previews.isEmpty());
        assertEquals(3, previews.get(0).channels());
        assertEquals(64 / 8, previews.get(0).width());
    }

    @Test
    void cancelFromTheListenerStopsTheGenerationAndTheNextOneRuns() {
        List<Integer> steps = new ArrayList<>();
        assertThrows(GenerationCancelledException.class, () -> context.generate(small(5).steps(20).build(),
                (step, total, seconds) -> {
                    steps.add(step);
                    context.cancel();
                }));
        assertTrue(steps.size() < 20, "stopped early: " + steps);
        assertEquals(1, context.generate(small(5).build(), GenerationListener.NONE).size());
    }

    @Test
    void cancelFromAnotherThreadStopsTheGeneration() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<List<RawImage>> running = CompletableFuture.supplyAsync(() -> context.generate(
                small(6).steps(200).build(), (step, total, seconds) -> started.countDown()));
        assertTrue(started.await(5, TimeUnit.MINUTES));
        context.cancel();
        ExecutionException e = assertThrows(ExecutionException.class, () -> running.get(5, TimeUnit.MINUTES));
        assertTrue(e.getCause() instanceof GenerationCancelledException, String.valueOf(e.getCause()));
    }

    @Test
    void aCancelWhileIdleDoesNotTouchTheNextGeneration() {
        context.cancel();
        assertEquals(1, context.generate(small(9).build(), GenerationListener.NONE).size());
    }

    @Test
    void whatTheListenerThrowsComesBackAndTheContextGoesOn() {
        IllegalStateException thrown = new IllegalStateException("listener failed");
        AtomicReference<Integer> calls = new AtomicReference<>(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> context.generate(
                small(10).steps(10).build(), (step, total, seconds) -> {
                    calls.set(calls.get() + 1);
                    throw thrown;
                }));
        assertSame(thrown, e);
        assertEquals(1, calls.get(), "the listener is not called again after it threw");
        assertEquals(1, context.generate(small(10).build(), GenerationListener.NONE).size());
    }

    @Test
    void aLoraChangesTheImageAndLeavesTheNextGenerationAlone() {
        Lora lora = new Lora(ImageFixtures.requireSd1Lora(), 1.0f);
        byte[] plain = context.generate(small(13).build(), GenerationListener.NONE).get(0).pixels();
        byte[] withLora = context.generate(small(13).loras(List.of(lora)).build(), GenerationListener.NONE).get(0)
                .pixels();
        assertFalse(Arrays.equals(plain, withLora));
        assertArrayEquals(plain, context.generate(small(13).build(), GenerationListener.NONE).get(0).pixels());
    }

    @Test
    void aLoraFileTheEngineCannotReadIsRefused() throws IOException {
        Path noise = Files.createTempFile("noise", ".safetensors");
        try {
            byte[] bytes = new byte[4096];
            new java.util.Random(3).nextBytes(bytes);
            Files.write(noise, bytes);
            Lora lora = new Lora(noise, 1f);
            DiffusionException e = assertThrows(DiffusionException.class,
                    () -> context.generate(small(14).loras(List.of(lora)).build(), GenerationListener.NONE));
            assertTrue(e.getMessage().contains(noise.toString()), e.getMessage());
        } finally {
            Files.deleteIfExists(noise);
        }
    }

    @Test
    void engineCallsFromInsideAListenerAreRefused() {
        assertThrows(IllegalStateException.class, () -> context.generate(small(11).build(),
                (step, total, seconds) -> context.generate(small(12).build(), GenerationListener.NONE)));
    }

    @Test
    void unknownSamplerAndSchedulerNamesAreRefusedBeforeTheEngine() {
        assertThrows(IllegalArgumentException.class,
                () -> context.generate(small(1).sampleMethod("euler_x").build(), GenerationListener.NONE));
        assertThrows(IllegalArgumentException.class,
                () -> context.generate(small(1).scheduler("sometimes").build(), GenerationListener.NONE));
        assertThrows(IllegalArgumentException.class, () -> context.defaultScheduler("euler_x"));
    }

    @Test
    void aClosedContextRefusesUse() {
        DiffusionContext second = DiffusionContext.load(ImageFixtures.params(ImageFixtures.requireSd1()));
        second.close();
        second.close();
        assertTrue(second.isClosed());
        assertThrows(IllegalStateException.class, () -> second.generate(small(1).build(), GenerationListener.NONE));
        assertThrows(IllegalStateException.class, second::defaultSampleMethod);
        second.cancel();
    }
}
