package io.llamabox.jni;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.testkit.model.DecoderSpec;
import io.llamabox.testkit.model.ProjectorSpec;
import io.llamabox.testkit.model.TestModels;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The libmtmd bridge on the generated LLaVA-style projector, and the libwebp decoder. */
class MtmdTest {
    private static final ProjectorSpec SPEC = ProjectorSpec.tinyFor(DecoderSpec.tinyLlama());

    private static byte[] rgb(int w, int h, int seed) {
        byte[] p = new byte[w * h * 3];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (i * 7 + seed * 13);
        }
        return p;
    }

    @Test
    void theGeneratedProjectorLoadsWithARandomMarker() {
        try (Model m = Fixtures.load(Fixtures.llama());
             Mtmd a = Mtmd.load(TestModels.projector(), m, false, 2);
             Mtmd b = Mtmd.load(TestModels.projector(), m, false, 2)) {
            assertTrue(a.supportsVision());
            assertFalse(a.supportsAudio());
            assertFalse(a.usesMrope());
            assertTrue(a.marker().matches("<__media_[A-Za-z0-9]{24}__>"), a.marker());
            assertNotEquals(a.marker(), b.marker(), "each projector has its own marker");
        }
    }

    @Test
    void aPromptWithAnImageSplitsIntoChunksThatEvaluateIntoASequence() {
        try (Model m = Fixtures.load(Fixtures.llama());
             Mtmd mtmd = Mtmd.load(TestModels.projector(), m, false, 2);
             Context ctx = new Context(m, ContextParams.text(512, 128, 2, 2));
             MtmdBitmap bitmap = MtmdBitmap.ofRgb(40, 30, rgb(40, 30, 1), "picture-1")) {
            String text = "<|im_start|>user\n" + mtmd.marker() + "What is it?<|im_end|>\n";
            try (MtmdChunks chunks = mtmd.tokenize(text, List.of(bitmap), true, true)) {
                assertEquals(3, chunks.size());
                assertEquals(MtmdChunks.Type.TEXT, chunks.chunk(0).type());
                MtmdChunks.Chunk image = chunks.chunk(1);
                assertEquals(MtmdChunks.Type.IMAGE, image.type());
                assertEquals(SPEC.imageTokens(), image.nTokens());
                assertEquals(SPEC.imageTokens(), image.nPositions());
                assertEquals("picture-1", image.id());
                int[] head = chunks.textTokens(0);
                assertEquals(m.vocab().bos(), head[0], "BOS comes first");
                assertArrayEquals(m.vocab().tokenize("What is it?<|im_end|>\n", false, true), chunks.textTokens(2));
                assertThrows(IllegalArgumentException.class, () -> chunks.textTokens(1));

                int pos = 0;
                for (int i = 0; i < chunks.size(); i++) {
                    pos = mtmd.evaluate(ctx, chunks, i, pos, 1, ctx.nBatch(), i == chunks.size() - 1);
                }
                assertEquals(head.length + SPEC.imageTokens() + chunks.textTokens(2).length, pos);
                assertEquals(pos - 1, ctx.maxPosition(1));
                assertEquals(-1, ctx.maxPosition(0), "the other sequence stays empty");
            }
        }
    }

    @Test
    void markersMustMatchTheBitmapsAndClosedHandlesAreRefused() {
        try (Model m = Fixtures.load(Fixtures.llama())) {
            Mtmd mtmd = Mtmd.load(TestModels.projector(), m, false, 2);
            try (MtmdBitmap bitmap = MtmdBitmap.ofRgb(8, 8, rgb(8, 8, 2), null)) {
                assertThrows(IllegalArgumentException.class, () -> mtmd.tokenize("no marker", List.of(bitmap), true, true));
                assertThrows(IllegalArgumentException.class,
                        () -> mtmd.tokenize(mtmd.marker() + mtmd.marker(), List.of(bitmap), true, true));
                assertThrows(IllegalArgumentException.class, () -> MtmdBitmap.ofRgb(8, 8, new byte[10], null));
                mtmd.close();
                assertThrows(IllegalStateException.class, () -> mtmd.tokenize(mtmd.marker(), List.of(bitmap), true, true));
            }
            assertThrows(LlamaException.class, () -> Mtmd.load(Path.of("/nonexistent/mmproj.gguf"), m, false, 1));
            assertThrows(LlamaException.class, () -> Mtmd.load(Fixtures.llama(), m, false, 1), "a text model is no projector");
        }
    }

    @Test
    void aProjectorForAnotherWidthIsRefused() {
        Path wide = TestModels.get(SPEC.withTextEmbd(96).withName("mmproj-96"), TestModels.defaultDirectory());
        try (Model m = Fixtures.load(Fixtures.llama())) {
            LlamaException e = assertThrows(LlamaException.class, () -> Mtmd.load(wide, m, false, 1));
            assertTrue(e.getMessage().contains("projector"), e.getMessage());
        }
    }

    @Test
    void webpIsRecognisedAndDecodedOrRefused() {
        // a 5x3 lossless WebP written by libwebp's encoder; pixel (x, y) is (50x, 100y, 200 - 10x)
        byte[] webp = Base64.getDecoder().decode(
                "UklGRkIAAABXRUJQVlA4TDUAAAAvBIAAAHdAkG0zrAPVH+MMIyMWTOZPFlH3/PcgBdi9AAYBIBGoWFJIIbgUVhg1ov/hIce+AAA=");
        assertTrue(WebpImage.isWebp(webp));
        assertFalse(WebpImage.isWebp("RIFF....WAVE".getBytes()));
        WebpImage img = WebpImage.decode(webp, 100);
        assertEquals(5, img.width());
        assertEquals(3, img.height());
        int i = (2 * 5 + 4) * 3;
        assertArrayEquals(new byte[] {(byte) 200, (byte) 200, (byte) 160}, Arrays.copyOfRange(img.rgb(), i, i + 3));
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> WebpImage.decode(webp, 14));
        assertTrue(big.getMessage().contains("5x3"), big.getMessage());
        byte[] cut = Arrays.copyOf(webp, 30);
        assertThrows(IllegalArgumentException.class, () -> WebpImage.decode(cut, 100));
    }
}
