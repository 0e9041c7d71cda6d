package io.llamabox.engine;

import io.llamabox.jni.Context;
import io.llamabox.jni.Mtmd;
import io.llamabox.jni.MtmdChunks;
import io.llamabox.spi.MediaPrompt;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A prompt tokenized by libmtmd: its layout by position (text tokens, and a run of negative values for
 * each image) and the native chunks the images are encoded from. The caller and every task that
 * carries it hold a reference; the chunks are freed when the last one lets go.
 */
final class LlamaMediaPrompt implements MediaPrompt {
    /**
     * An image's place in the prompt: {@code positions} entries from {@code start}, {@code tokens}
     * embeddings (more than the positions when the model uses M-RoPE), chunk {@code chunk} of the chunks.
     */
    record Image(int start, int positions, int tokens, int chunk, String id) {
        int end() {
            return start + positions;
        }
    }

    private final Mtmd mtmd;
    private final MtmdChunks chunks;
    private final int[] layout;
    private final List<Image> images;
    private final int promptTokens;
    private final AtomicInteger holders = new AtomicInteger(1);
    private final AtomicBoolean callerClosed = new AtomicBoolean();

    LlamaMediaPrompt(Mtmd mtmd, MtmdChunks chunks, int[] layout, List<Image> images, int promptTokens) {
        this.mtmd = mtmd;
        this.chunks = chunks;
        this.layout = layout;
        this.images = List.copyOf(images);
        this.promptTokens = promptTokens;
    }

    /**
     * The value that stands for position {@code k} of an image in a slot's cached tokens: negative,
     * derived from the image id and the position, so that the same image at the same place of a prompt
     * matches a cached one and a part of an image never matches another part.
     */
    static int positionValue(String id, int k) {
        long h = 0xCBF29CE484222325L; // FNV-1a over the id
        for (int i = 0; i < id.length(); i++) {
            h = (h ^ id.charAt(i)) * 0x100000001B3L;
        }
        return -2 - (int) ((h + k) & 0x3FFFFFFFL);
    }

    Mtmd mtmd() {
        return mtmd;
    }

    int[] layout() {
        return layout;
    }

    List<Image> imageList() {
        return images;
    }

    /** The image whose first position is {@code pos}, or null. */
    Image imageAt(int pos) {
        for (Image img : images) {
            if (img.start == pos) {
                return img;
            }
        }
        return null;
    }

    /** {@code pos} moved back to the start of the image it falls inside of (positions inside an image cannot be kept alone). */
    int alignToImageStart(int pos) {
        for (Image img : images) {
            if (pos > img.start && pos < img.end()) {
                return img.start;
            }
        }
        return pos;
    }

    /** Prompt tokens (embeddings, for images) before position {@code pos}, which is not inside an image. */
    int tokensBefore(int pos) {
        int n = pos;
        for (Image img : images) {
            if (img.end() <= pos) {
                n += img.tokens - img.positions;
            }
        }
        return n;
    }

    /** Encodes an image and decodes its embeddings into sequence {@code seq} from {@code nPast}; returns the next position. */
    int evaluate(Image img, Context ctx, int seq, int nPast) {
        return mtmd.evaluate(ctx, chunks, img.chunk, nPast, seq, ctx.nBatch(), false);
    }

    /** Takes a reference for a task; false when the prompt was already freed. */
    boolean retain() {
        for (int n = holders.get(); n > 0; n = holders.get()) {
            if (holders.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Drops a task's reference. */
    void release() {
        if (holders.decrementAndGet() == 0) {
            chunks.close();
        }
    }

    @Override
    public int[] tokens() {
        return layout.clone();
    }

    @Override
    public int promptTokens() {
        return promptTokens;
    }

    @Override
    public int images() {
        return images.size();
    }

    @Override
    public void close() {
        if (callerClosed.compareAndSet(false, true)) {
            release();
        }
    }
}
