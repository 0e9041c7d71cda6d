package io.llamabox.jni;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

/**
 * A multimodal projector (libmtmd) bound to a text model: turns text with media markers plus
 * bitmaps into chunks, and evaluates chunks into a context's sequence.
 */
public final class Mtmd extends NativeHandle {
    private final Model model;
    private final boolean vision, audio, nonCausal, mrope;
    private final String marker;

    private Mtmd(Model model, long pointer) {
        super("multimodal projector", pointer);
        this.model = model;
        boolean[] caps = Natives.mtmdCaps(pointer);
        vision = caps[0];
        audio = caps[1];
        nonCausal = caps[2];
        mrope = caps[3];
        marker = Text.string(Natives.mtmdMarker(pointer));
    }

    /**
     * Loads a projector for {@code model}. Its media marker is made of random letters, so text from a
     * client cannot contain it by accident or on purpose (libmtmd would read such text as one more image).
     */
    public static Mtmd load(Path projector, Model model, boolean useGpu, int threads) {
        if (!Files.isRegularFile(projector)) {
            throw new LlamaException("projector file not found: " + projector);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        NativeLog.startCapture();
        long ptr;
        String why;
        try {
            ptr = Natives.mtmdInit(Text.utf8(projector), model.pointer(), useGpu, threads, -1, false,
                    Text.utf8(randomMarker()));
        } finally {
            why = NativeLog.stopCapture();
        }
        if (ptr == 0) {
            throw new LlamaException("failed to load projector " + projector + (why.isEmpty() ? "" : ": " + why));
        }
        return new Mtmd(model, ptr);
    }

    private static String randomMarker() {
        String letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder b = new StringBuilder("<__media_");
        for (int i = 0; i < 24; i++) {
            b.append(letters.charAt(random.nextInt(letters.length())));
        }
        return b.append("__>").toString();
    }

    public Model model() { return model; }
    public boolean supportsVision() { return vision; }
    public boolean supportsAudio() { return audio; }
    /** Whether images need non-causal attention while they are decoded. */
    public boolean imagesNonCausal() { return nonCausal; }
    public boolean usesMrope() { return mrope; }
    /** The marker that stands for one bitmap in {@link #tokenize} text. */
    public String marker() { return marker; }

    /** Splits text into chunks; each marker in the text takes the next bitmap. */
    public MtmdChunks tokenize(String text, List<MtmdBitmap> bitmaps, boolean addSpecial, boolean parseSpecial) {
        long[] ptrs = new long[bitmaps.size()];
        for (int i = 0; i < ptrs.length; i++) {
            ptrs[i] = bitmaps.get(i).pointer();
        }
        int markers = countMarkers(text);
        if (markers != ptrs.length) {
            throw new IllegalArgumentException("text has " + markers + " media markers but " + ptrs.length + " bitmaps were given");
        }
        NativeLog.startCapture();
        long chunks;
        String why;
        try {
            chunks = Natives.mtmdTokenize(pointer(), Text.utf8(text), addSpecial, parseSpecial, ptrs);
        } finally {
            why = NativeLog.stopCapture();
        }
        if (chunks == 0) {
            throw new IllegalArgumentException("media could not be processed" + (why.isEmpty() ? "" : ": " + why));
        }
        return new MtmdChunks(chunks);
    }

    private int countMarkers(String text) {
        int n = 0;
        for (int i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + marker.length())) {
            n++;
        }
        return n;
    }

    /**
     * Evaluates chunk {@code i} into sequence {@code seqId} starting at position {@code nPast}; returns
     * the next position. Text chunks are decoded in batches of {@code nBatch}.
     */
    public int evaluate(Context ctx, MtmdChunks chunks, int i, int nPast, int seqId, int nBatch, boolean logitsLast) {
        if (ctx.model() != model) {
            throw new IllegalArgumentException("context belongs to another model");
        }
        if (i < 0 || i >= chunks.size()) {
            throw new IndexOutOfBoundsException("chunk " + i + " out of range [0, " + chunks.size() + ")");
        }
        if (seqId < 0 || seqId >= ctx.nSeqMax() || nPast < 0 || nBatch < 1 || nBatch > ctx.nBatch()) {
            throw new IllegalArgumentException("bad sequence, position or batch size");
        }
        int[] next = new int[1];
        NativeLog.startCapture();
        int rc;
        String why;
        try {
            rc = Natives.mtmdEvalChunk(pointer(), ctx.pointer(), chunks.pointer(), i, nPast, seqId, nBatch, logitsLast, next);
        } finally {
            why = NativeLog.stopCapture();
        }
        if (rc != 0) {
            throw new LlamaException("evaluating chunk " + i + " failed (" + rc + ")" + (why.isEmpty() ? "" : ": " + why));
        }
        return next[0];
    }

    @Override
    void free(long pointer) {
        Natives.mtmdFree(pointer);
    }
}
