package io.llamabox.engine;

import io.llamabox.jni.Model;
import io.llamabox.jni.Mtmd;
import io.llamabox.jni.MtmdBitmap;
import io.llamabox.jni.MtmdChunks;
import io.llamabox.spi.EngineException;
import io.llamabox.spi.PromptImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The text engine's eyes: the projector libmtmd loaded for its model, and the way from a rendered
 * prompt plus encoded images to a {@link LlamaMediaPrompt}. Tokenization runs on the callers' threads
 * (libmtmd allows it beside encoding on the scheduler thread); closing waits for those in progress.
 */
final class EngineVision implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineVision.class);
    /** What the client hears about any image that cannot be used; the log says why. */
    static final String INVALID_IMAGE = "Invalid image";

    private final Mtmd mtmd;
    private final VisionConfig config;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private EngineVision(Mtmd mtmd, VisionConfig config) {
        this.mtmd = mtmd;
        this.config = config;
    }

    /** Loads the projector of {@code config} for {@code model}; it must take images. */
    static EngineVision load(Model model, VisionConfig config) {
        Mtmd mtmd = Mtmd.load(config.projector(), model, config.useGpu(), config.threads());
        if (!mtmd.supportsVision()) {
            mtmd.close();
            throw new IllegalArgumentException("the projector " + config.projector() + " takes no images");
        }
        LOG.info("vision projector {} loaded{}{}", config.projector().getFileName(),
                mtmd.usesMrope() ? " (M-RoPE: an image takes fewer positions than embeddings)" : "",
                config.maxImageSize() > 0
                        ? "; images are scaled down to " + config.maxImageSize() + " pixels on their longer side" : "");
        return new EngineVision(mtmd, config);
    }

    String marker() {
        return mtmd.marker();
    }

    Mtmd mtmd() {
        return mtmd;
    }

    /**
     * Decodes the images and tokenizes the text with them (special tokens parsed, BOS added where the
     * model wants it). The prompt must end with text: generation starts from a text token's logits.
     */
    LlamaMediaPrompt tokenize(String text, List<PromptImage> images) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new EngineException(EngineException.Kind.UNAVAILABLE, "the server is shutting down");
            }
            List<MtmdBitmap> bitmaps = new ArrayList<>(images.size());
            List<String> ids = new ArrayList<>(images.size());
            try {
                for (PromptImage image : images) {
                    ImageDecoder.Rgb rgb;
                    try {
                        rgb = ImageDecoder.decode(image.data(), config.maxImageSize(), config.maxPixels());
                    } catch (IllegalArgumentException e) {
                        LOG.info("image {} refused: {}", image.source(), e.getMessage());
                        throw new EngineException(EngineException.Kind.INVALID_REQUEST, INVALID_IMAGE);
                    }
                    bitmaps.add(MtmdBitmap.ofRgb(rgb.width(), rgb.height(), rgb.pixels(), rgb.id()));
                    ids.add(rgb.id());
                }
                MtmdChunks chunks;
                try {
                    chunks = mtmd.tokenize(text, bitmaps, true, true);
                } catch (IllegalArgumentException e) {
                    LOG.info("images refused by the projector: {}", e.getMessage());
                    throw new EngineException(EngineException.Kind.INVALID_REQUEST, INVALID_IMAGE);
                }
                try {
                    return layout(chunks, ids);
                } catch (RuntimeException e) {
                    chunks.close();
                    throw e;
                }
            } finally {
                for (MtmdBitmap b : bitmaps) {
                    b.close();
                }
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    private LlamaMediaPrompt layout(MtmdChunks chunks, List<String> ids) {
        int n = chunks.size();
        List<int[]> parts = new ArrayList<>(n);
        List<LlamaMediaPrompt.Image> images = new ArrayList<>();
        int positions = 0;
        int tokens = 0;
        boolean endsWithText = false;
        for (int i = 0; i < n; i++) {
            MtmdChunks.Chunk c = chunks.chunk(i);
            switch (c.type()) {
                case TEXT -> {
                    int[] t = chunks.textTokens(i);
                    parts.add(t);
                    positions += t.length;
                    tokens += t.length;
                    endsWithText = t.length > 0;
                }
                case IMAGE -> {
                    String id = c.id() != null && !c.id().isEmpty() ? c.id() : ids.get(images.size());
                    int[] run = new int[c.nPositions()];
                    for (int k = 0; k < run.length; k++) {
                        run[k] = LlamaMediaPrompt.positionValue(id, k);
                    }
                    images.add(new LlamaMediaPrompt.Image(positions, c.nPositions(), c.nTokens(), i, id));
                    parts.add(run);
                    positions += run.length;
                    tokens += c.nTokens();
                    endsWithText = false;
                }
                case AUDIO -> throw new EngineException(EngineException.Kind.INVALID_REQUEST,
                        "audio input is not supported");
            }
        }
        if (!endsWithText) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST,
                    "the prompt must not end with an image: add text after it");
        }
        int[] layout = new int[positions];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, layout, at, p.length);
            at += p.length;
        }
        return new LlamaMediaPrompt(mtmd, chunks, layout, images, tokens);
    }

    /** Frees the projector once no tokenization is running; the scheduler has stopped already. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                mtmd.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
