package io.llamabox.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.spi.EngineException;
import io.llamabox.spi.FinishReason;
import io.llamabox.spi.MediaPrompt;
import io.llamabox.spi.PromptImage;
import io.llamabox.spi.TaskHandle;
import io.llamabox.testkit.model.DecoderSpec;
import io.llamabox.testkit.model.ProjectorSpec;
import io.llamabox.testkit.model.TestModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VisionEngineTest {
    /** Embeddings one image becomes with the tiny projector. */
    private static final int IMAGE_TOKENS = ProjectorSpec.tinyFor(DecoderSpec.tinyLlama()).imageTokens();

    private static LlamaTextEngine engine(int slots) {
        LlamaTextEngine e = Engines.llama(slots, 512);
        e.attachProjector(VisionConfig.of(TestModels.projector(), 2));
        return e;
    }

    /** A ChatML user turn with one marker per image before the question. */
    private static String chat(LlamaTextEngine e, int images, String question) {
        return "<|im_start|>user\n" + e.imageMarker().repeat(images) + question + "<|im_end|>\n<|im_start|>assistant\n";
    }

    private static Collector run(LlamaTextEngine e, MediaPrompt media, int maxTokens) throws Exception {
        Collector c = new Collector();
        e.submit(Engines.request(media.tokens(), maxTokens, List.of(), 0), media, c);
        c.await();
        return c;
    }

    private static String generate(LlamaTextEngine e, String text, List<PromptImage> images, int maxTokens) throws Exception {
        try (MediaPrompt media = e.tokenize(text, images)) {
            return run(e, media, maxTokens).text();
        }
    }

    @Test
    void theTinyProjectorLoadsAndAnImagePromptGenerates() throws Exception {
        try (LlamaTextEngine e = engine(1)) {
            assertTrue(e.acceptsImages());
            assertTrue(e.imageMarker().startsWith("<__media_"), e.imageMarker());
            String question = "What is in this picture?";
            int textTokens = e.tokenize(chat(e, 0, question), true, true).length;
            try (MediaPrompt media = e.tokenize(chat(e, 1, question), List.of(TestImages.prompt(TestImages.png(80, 60, 1))))) {
                assertEquals(1, media.images());
                assertEquals(textTokens + IMAGE_TOKENS, media.promptTokens());
                assertEquals(media.promptTokens(), media.tokens().length, "one position per embedding for LLaVA");
                long imagePositions = Arrays.stream(media.tokens()).filter(t -> t < 0).count();
                assertEquals(IMAGE_TOKENS, imagePositions);
                Collector c = run(e, media, 16);
                assertEquals(FinishReason.LENGTH, c.done.get());
                assertEquals(16, c.usage.completionTokens());
                assertEquals(media.promptTokens(), c.usage.promptTokens());
                assertFalse(c.text().isEmpty());
            }
        }
    }

    @Test
    void theImageChangesTheOutputAndTheSameImageGivesTheSameOutput() throws Exception {
        try (LlamaTextEngine e = engine(2)) {
            String text = chat(e, 1, "Describe it.");
            String first = generate(e, text, List.of(TestImages.prompt(TestImages.png(64, 64, 1))), 24);
            String other = generate(e, text, List.of(TestImages.prompt(TestImages.png(64, 64, 5))), 24);
            assertNotEquals(first, other, "the output depends on the picture");
            // the second time the image comes from a slot's cache; the output must not change
            String again = generate(e, text, List.of(TestImages.prompt(TestImages.png(64, 64, 1))), 24);
            assertEquals(first, again);
        }
    }

    @Test
    void theSameImageAndPrefixComeFromTheCache() throws Exception {
        try (LlamaTextEngine e = engine(1)) {
            byte[] png = TestImages.png(70, 50, 2);
            int imageEnd;
            try (MediaPrompt media = e.tokenize(chat(e, 1, "What colour is it?"), List.of(TestImages.prompt(png)))) {
                imageEnd = ((LlamaMediaPrompt) media).imageList().get(0).end();
                Collector c = run(e, media, 8);
                assertEquals(0, c.usage.cachedTokens());
            }
            long before = e.metrics().promptTokensTotal();
            // same picture in another lossless encoding, another question
            byte[] bmp = TestImages.encode(TestImages.picture(70, 50, 2), "bmp");
            try (MediaPrompt media = e.tokenize(chat(e, 1, "Is it a cat?"), List.of(TestImages.prompt(bmp)))) {
                Collector c = run(e, media, 8);
                assertTrue(c.usage.cachedTokens() >= imageEnd, "cached " + c.usage.cachedTokens() + " of " + imageEnd);
                long processed = e.metrics().promptTokensTotal() - before;
                assertEquals(media.promptTokens() - c.usage.cachedTokens(), processed, "the image was not encoded again");
            }
            // another picture at the same place is encoded
            try (MediaPrompt media = e.tokenize(chat(e, 1, "Is it a cat?"), List.of(TestImages.prompt(TestImages.png(70, 50, 3))))) {
                Collector c = run(e, media, 8);
                assertTrue(c.usage.cachedTokens() < imageEnd - IMAGE_TOKENS + 1, "cached " + c.usage.cachedTokens());
            }
        }
    }

    @Test
    void tenImageRequestsInARowCompleteAndFreeTheirImages() throws Exception {
        try (LlamaTextEngine e = engine(2)) {
            List<LlamaMediaPrompt> prompts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                List<PromptImage> images = i % 3 == 2
                        ? List.of(TestImages.prompt(TestImages.png(40, 90, i)), TestImages.prompt(TestImages.WEBP_LOSSY_32X24))
                        : List.of(TestImages.prompt(TestImages.png(64 + i, 48, i)));
                try (MediaPrompt media = e.tokenize(chat(e, images.size(), "Picture " + i + "?"), images)) {
                    prompts.add((LlamaMediaPrompt) media);
                    Collector c = run(e, media, 6);
                    assertEquals(FinishReason.LENGTH, c.done.get(), "request " + i);
                }
            }
            for (LlamaMediaPrompt p : prompts) {
                assertFalse(p.retain(), "the chunks were freed");
            }
        }
    }

    @Test
    void imageAndTextRequestsShareTheSlotsAndKeepTheirOutputs() throws Exception {
        try (LlamaTextEngine e = engine(3)) {
            int[] textPrompt = e.tokenize("Once upon a time", true, true);
            Collector alone = new Collector();
            e.submit(Engines.request(textPrompt, 20, List.of(), 0), alone);
            alone.await();
            String imageText = chat(e, 1, "And this?");
            String imageAlone = generate(e, imageText, List.of(TestImages.prompt(TestImages.png(64, 64, 7))), 20);

            try (MediaPrompt a = e.tokenize(imageText, List.of(TestImages.prompt(TestImages.png(64, 64, 7))));
                 MediaPrompt b = e.tokenize(chat(e, 2, "Two?"), List.of(TestImages.prompt(TestImages.png(30, 30, 8)),
                         TestImages.prompt(TestImages.png(50, 20, 9))))) {
                Collector ca = new Collector();
                Collector cb = new Collector();
                Collector ct = new Collector();
                e.submit(Engines.request(a.tokens(), 20, List.of(), 0), a, ca);
                e.submit(Engines.request(b.tokens(), 20, List.of(), 0), b, cb);
                e.submit(Engines.request(textPrompt, 20, List.of(), 0), ct);
                ca.await();
                cb.await();
                ct.await();
                assertEquals(alone.text(), ct.text(), "text output unchanged beside image requests");
                assertEquals(imageAlone, ca.text(), "image output unchanged beside other requests");
                assertEquals(b.promptTokens(), cb.usage.promptTokens());
            }
        }
    }

    @Test
    void cancellingImageRequestsNeitherHangsNorLeaks() throws Exception {
        try (LlamaTextEngine e = engine(1)) {
            List<LlamaMediaPrompt> prompts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                List<PromptImage> images = List.of(TestImages.prompt(TestImages.png(64, 64, 20 + i)),
                        TestImages.prompt(TestImages.png(64, 64, 40 + i)));
                try (MediaPrompt media = e.tokenize(chat(e, 2, "Compare them."), images)) {
                    prompts.add((LlamaMediaPrompt) media);
                    Collector c = new Collector();
                    TaskHandle h = e.submit(Engines.request(media.tokens(), -1, List.of(), 0), media, c);
                    if (i % 2 == 1) {
                        c.started.get(30, TimeUnit.SECONDS); // in the middle of the prompt's images, or just after
                    }
                    h.cancel();
                    assertEquals(FinishReason.CANCELLED, c.done.get(30, TimeUnit.SECONDS));
                }
            }
            String afterwards = generate(e, chat(e, 1, "Still there?"), List.of(TestImages.prompt(TestImages.png(64, 64, 1))), 8);
            assertFalse(afterwards.isEmpty());
            for (LlamaMediaPrompt p : prompts) {
                assertFalse(p.retain(), "the chunks were freed");
            }
            assertFalse(e.slots().get(0).processing());
        }
    }

    @Test
    void brokenImagesAndBadPromptsAreRefused() throws Exception {
        try (LlamaTextEngine e = engine(1)) {
            String text = chat(e, 1, "What is it?");
            EngineException broken = assertThrows(EngineException.class,
                    () -> e.tokenize(text, List.of(TestImages.prompt("GIF89a garbage".getBytes()))));
            assertEquals(EngineException.Kind.INVALID_REQUEST, broken.kind());
            assertEquals("Invalid image", broken.getMessage());
            EngineException count = assertThrows(EngineException.class, () -> e.tokenize(text, List.of()));
            assertEquals(EngineException.Kind.INVALID_REQUEST, count.kind());
            EngineException last = assertThrows(EngineException.class,
                    () -> e.tokenize("Look: " + e.imageMarker(), List.of(TestImages.prompt(TestImages.png(8, 8, 1)))));
            assertTrue(last.getMessage().contains("end with an image"), last.getMessage());
            // the engine still works
            assertFalse(generate(e, text, List.of(TestImages.prompt(TestImages.png(8, 8, 1))), 4).isEmpty());
        }
        try (LlamaTextEngine e = Engines.llama(1, 512)) {
            e.attachProjector(VisionConfig.of(TestModels.projector(), 2).withMaxPixels(1000));
            EngineException big = assertThrows(EngineException.class,
                    () -> e.tokenize(chat(e, 1, "?"), List.of(TestImages.prompt(TestImages.png(40, 30, 1)))));
            assertEquals("Invalid image", big.getMessage());
        }
        try (LlamaTextEngine plain = Engines.llama(1, 512)) {
            assertFalse(plain.acceptsImages());
            assertThrows(EngineException.class, () -> plain.tokenize("x", List.of(TestImages.prompt(TestImages.png(8, 8, 1)))));
        }
    }
}
