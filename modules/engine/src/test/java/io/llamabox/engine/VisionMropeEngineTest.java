package io.llamabox.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.spi.EngineException;
import io.llamabox.spi.FinishReason;
import io.llamabox.spi.MediaPrompt;
import io.llamabox.spi.PromptImage;
import io.llamabox.testkit.model.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images for an M-RoPE model (the tiny {@code qwen2vl} with its Qwen2-VL-style merger): an image spans
 * fewer positions than it has embeddings, and the slot's bookkeeping must count both right.
 */
class VisionMropeEngineTest {
    /** One embedding per 28x28 pixels (14-pixel patches merged 2x2). */
    private static final int CELL = 28;

    @TempDir
    Path dir;

    private static LlamaTextEngine engine(int slots, int ctxPerSlot) {
        LlamaTextEngine e = Engines.start(TestModels.qwen2Vl(), slots, ctxPerSlot);
        e.attachProjector(VisionConfig.of(TestModels.mergerProjector(), 2));
        return e;
    }

    /** A ChatML user turn with one marker per image before the question. */
    private static String chat(LlamaTextEngine e, int images, String question) {
        return "<|im_start|>user\n" + e.imageMarker().repeat(images) + question + "<|im_end|>\n<|im_start|>assistant\n";
    }

    /** A picture of {@code w x h} merged patches. */
    private static PromptImage image(int w, int h, int seed) {
        return TestImages.prompt(TestImages.png(w * CELL, h * CELL, seed));
    }

    private static Collector run(LlamaTextEngine e, MediaPrompt media, int maxTokens) throws Exception {
        Collector c = new Collector();
        e.submit(Engines.request(media.tokens(), maxTokens, List.of(), 0), media, c);
        c.await();
        return c;
    }

    private static Collector run(LlamaTextEngine e, String text, List<PromptImage> images, int maxTokens) throws Exception {
        try (MediaPrompt media = e.tokenize(text, images)) {
            return run(e, media, maxTokens);
        }
    }

    @Test
    void anImageSpansItsLongerSideInPositionsAndCountsItsEmbeddings() throws Exception {
        try (LlamaTextEngine e = engine(1, 512)) {
            try (MediaPrompt media = e.tokenize(chat(e, 1, "What is in this picture?"), List.of(image(7, 5, 1)))) {
                LlamaMediaPrompt.Image img = ((LlamaMediaPrompt) media).imageList().get(0);
                assertEquals(7, img.positions());
                assertEquals(35, img.tokens());
                int[] layout = media.tokens();
                long imagePositions = Arrays.stream(layout).filter(t -> t < 0).count();
                assertEquals(7, imagePositions, "the layout holds one value per position");
                assertEquals(layout.length - 7 + 35, media.promptTokens(), "the prompt counts every embedding");
                Collector c = run(e, media, 16);
                assertEquals(FinishReason.LENGTH, c.done.get());
                assertEquals(16, c.usage.completionTokens());
                assertEquals(media.promptTokens(), c.usage.promptTokens());
                assertFalse(c.text().isEmpty());
            }
        }
    }

    @Test
    void generationStopsWhenTheCellsAreFullAndNoShiftIsTried() throws Exception {
        int ctx = 128;
        try (LlamaTextEngine e = engine(1, ctx)) { // the engine's settings allow context shift
            String text = chat(e, 1, "Describe it.");
            try (MediaPrompt media = e.tokenize(text, List.of(image(7, 5, 2)))) {
                assertTrue(media.promptTokens() < ctx && media.promptTokens() > ctx / 2, "prompt " + media.promptTokens());
                // unlimited: it runs until the slot's cells are full; its positions would allow 28 more tokens
                Collector c = run(e, media, -1);
                assertEquals(FinishReason.LENGTH, c.done.get(), "the context filled up");
                assertEquals(ctx - media.promptTokens(), c.usage.completionTokens());
            }
            // the slot goes on: the same request from its cache gives the same text
            Collector first = run(e, text, List.of(image(7, 5, 3)), 12);
            Collector again = run(e, text, List.of(image(7, 5, 3)), 12);
            assertEquals(first.text(), again.text());
            assertTrue(again.usage.cachedTokens() > 35, "cached " + again.usage.cachedTokens());
        }
    }

    @Test
    void aCachedImageLeavesTheImageAndTextAfterItAsIfEncodedAfresh() throws Exception {
        List<PromptImage> both = List.of(image(6, 4, 4), image(3, 5, 5));
        String question = "Which is brighter?";
        String fresh;
        try (LlamaTextEngine e = engine(1, 512)) {
            fresh = run(e, chat(e, 2, question), both, 24).text();
        }
        try (LlamaTextEngine e = engine(1, 512)) {
            // the first image after the same text comes from the cache; the second and the text after it follow it
            Collector one = run(e, chat(e, 1, "What is it?"), List.of(both.get(0)), 4);
            assertEquals(FinishReason.LENGTH, one.done.get());
            long before = e.metrics().promptTokensTotal();
            try (MediaPrompt media = e.tokenize(chat(e, 2, question), both)) {
                Collector c = run(e, media, 24);
                int cached = c.usage.cachedTokens();
                assertTrue(cached >= 24, "the first image's 24 embeddings came from the cache: " + cached);
                assertEquals(media.promptTokens() - cached, e.metrics().promptTokensTotal() - before,
                        "the cached image was not encoded again");
                assertEquals(fresh, c.text());
            }
        }
    }

    @Test
    void anImageThatDoesNotFitTheSlotIsRefusedAndTheEngineGoesOn() throws Exception {
        try (LlamaTextEngine e = engine(1, 64)) {
            try (MediaPrompt media = e.tokenize(chat(e, 1, "What is it?"), List.of(image(7, 5, 6)))) {
                assertTrue(media.tokens().length < 64, "its positions would fit: " + media.tokens().length);
                EngineException x = assertThrows(EngineException.class,
                        () -> e.submit(Engines.request(media.tokens(), 8, List.of(), 0), media, new Collector()));
                assertEquals(EngineException.Kind.INVALID_REQUEST, x.kind());
                assertTrue(x.getMessage().contains("tokens but each slot's context holds 64"), x.getMessage());
            }
            Collector ok = run(e, chat(e, 1, "What is it?"), List.of(image(2, 2, 7)), 4);
            assertEquals(FinishReason.LENGTH, ok.done.get());
        }
    }

    @Test
    void aSlotHoldingAnImageIsNotSavedButOneHoldingTextIs() throws Exception {
        try (LlamaTextEngine e = engine(1, 256)) {
            run(e, chat(e, 1, "What is it?"), List.of(image(3, 3, 8)), 4);
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> e.saveSlot(0, dir.resolve("image.bin")).get(30, TimeUnit.SECONDS));
            assertTrue(refused.getCause() instanceof EngineException x && x.kind() == EngineException.Kind.INVALID_REQUEST
                    && x.getMessage().contains("image"), String.valueOf(refused.getCause()));
            assertFalse(Files.exists(dir.resolve("image.bin")));
            Collector text = new Collector();
            e.submit(Engines.request(e.tokenize("Once upon a time", true, true), 6, List.of(), 0), text);
            text.await();
            assertTrue(e.saveSlot(0, dir.resolve("text.bin")).get(30, TimeUnit.SECONDS).tokens() > 0);
        }
    }
}
