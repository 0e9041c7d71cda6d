package io.llamabox.jni;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.testkit.model.TestModels;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The libmtmd bridge on the generated Qwen2-VL-style projector and its {@code qwen2vl} text model, whose
 * M-RoPE gives an image fewer positions than embeddings.
 */
class MtmdMropeTest {
    /** One embedding per 28x28 pixels (14-pixel patches merged 2x2). */
    private static final int CELL = 28;

    private static byte[] rgb(int w, int h, int seed) {
        byte[] p = new byte[w * h * 3];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (i * 7 + seed * 13);
        }
        return p;
    }

    @Test
    void theMergerLoadsForTheQwen2VlModelWhichUsesMropeAndCannotShift() {
        try (Model m = Fixtures.load(TestModels.qwen2Vl());
             Mtmd mtmd = Mtmd.load(TestModels.mergerProjector(), m, false, 2);
             Context ctx = new Context(m, ContextParams.text(512, 128, 1, 2))) {
            assertTrue(mtmd.supportsVision());
            assertFalse(mtmd.supportsAudio());
            assertTrue(mtmd.usesMrope());
            assertFalse(ctx.canShift(), "llama.cpp cannot shift M-RoPE positions: the engine relies on it to refuse");
        }
    }

    @Test
    void anImageTakesItsLongerSideInPositionsAndTextGoesOnFromThere() {
        int w = 7 * CELL;
        int h = 5 * CELL;
        try (Model m = Fixtures.load(TestModels.qwen2Vl());
             Mtmd mtmd = Mtmd.load(TestModels.mergerProjector(), m, false, 2);
             Context ctx = new Context(m, ContextParams.text(512, 128, 2, 2));
             MtmdBitmap bitmap = MtmdBitmap.ofRgb(w, h, rgb(w, h, 1), "picture-1")) {
            String text = "<|im_start|>user\n" + mtmd.marker() + "What is it?<|im_end|>\n";
            try (MtmdChunks chunks = mtmd.tokenize(text, List.of(bitmap), true, true)) {
                assertEquals(3, chunks.size());
                MtmdChunks.Chunk image = chunks.chunk(1);
                assertEquals(MtmdChunks.Type.IMAGE, image.type());
                assertEquals(7 * 5, image.nTokens(), "one embedding per merged 2x2 patch");
                assertEquals(7, image.nPositions(), "M-RoPE: the image spans as many positions as its longer side");
                int[] head = chunks.textTokens(0);
                int[] tail = chunks.textTokens(2);
                assertArrayEquals(m.vocab().tokenize("<|vision_end|>What is it?<|im_end|>\n", false, true), tail);

                int pos = mtmd.evaluate(ctx, chunks, 0, 0, 1, ctx.nBatch(), false);
                assertEquals(head.length, pos);
                pos = mtmd.evaluate(ctx, chunks, 1, pos, 1, ctx.nBatch(), false);
                assertEquals(head.length + 7, pos, "the image advances the position by its positions, not its embeddings");
                assertEquals(head.length, ctx.maxPosition(1), "a still image's embeddings share its first temporal position");
                pos = mtmd.evaluate(ctx, chunks, 2, pos, 1, ctx.nBatch(), true);
                assertEquals(head.length + 7 + tail.length, pos);
                assertEquals(pos - 1, ctx.maxPosition(1));
                assertEquals(-1, ctx.maxPosition(0), "the other sequence stays empty");
            }
        }
    }
}
