package io.llamabox.testkit.model;

import io.llamabox.testkit.gguf.GgmlType;

import java.util.Objects;

/**
 * The shape of a generated vision projector ({@code --mmproj}), of one of two {@linkplain Kind kinds}:
 * <ul>
 *   <li>{@link Kind#MLP}, LLaVA-style: a CLIP ViT encoder (patch embedding, class token, learned
 *       positions, pre-norm blocks) followed by a two-layer MLP ({@code clip.projector_type = "mlp"});
 *       every image becomes {@link #imageTokens()} embeddings;</li>
 *   <li>{@link Kind#QWEN2VL_MERGER}, Qwen2-VL-style ({@code "qwen2vl_merger"}): a ViT over images of any
 *       size (two patch kernels for the two frames of a temporal patch, 2D rotary positions, no class
 *       token), whose patches are merged 2x2 into one embedding each by a two-layer MLP; for the
 *       {@code qwen2vl} text model, whose M-RoPE gives an image as many positions as its longer side
 *       has merged patches.</li>
 * </ul>
 * The output width is the text model's embedding width. Immutable; change it with the {@code withX} methods.
 *
 * @param name      {@code general.name}
 * @param textEmbd  embedding width of the text model it feeds (the projector's output width)
 * @param imageSize side of the square image the encoder sees, in pixels; a multiple of {@code patchSize}.
 *                  The merger takes images of any size (libmtmd resizes them to multiples of twice the
 *                  patch size) and only records it
 * @param patchSize side of a patch; an MLP projector's image yields {@code (imageSize / patchSize)^2} embeddings
 * @param layers    encoder blocks; LLaVA reads the features of the second-to-last one
 * @param embd      encoder width
 * @param heads     encoder attention heads; must divide {@code embd} (for the merger, into heads whose
 *                  size is a multiple of 4: its rotary positions have four sections)
 * @param ff        encoder feed-forward width; differs from {@code embd} (libmtmd tells the legacy
 *                  swapped up/down layout apart by their shapes)
 * @param hidden    width of the projector's hidden layer
 * @param type      type of the weight matrices (F32 or F16; the patch kernels, norms, biases and
 *                  embeddings stay F32)
 * @param seed      seed of the random weights
 * @param kind      the projector's kind
 */
public record ProjectorSpec(String name, int textEmbd, int imageSize, int patchSize, int layers, int embd, int heads,
                            int ff, int hidden, GgmlType type, long seed, Kind kind) {

    /** The projector kinds the generator writes. */
    public enum Kind {
        /** LLaVA's two-layer MLP after a CLIP ViT. */
        MLP("mlp"),
        /** Qwen2-VL's patch merger after its dynamic-resolution ViT. */
        QWEN2VL_MERGER("qwen2vl_merger");

        private final String ggufName;

        Kind(String ggufName) {
            this.ggufName = ggufName;
        }

        /** The value of {@code clip.projector_type}. */
        public String ggufName() {
            return ggufName;
        }
    }

    /** Patches along each side that the merger turns into one embedding. */
    public static final int MERGE = 2;

    public ProjectorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(kind, "kind");
        DecoderSpec.positive("textEmbd", textEmbd);
        DecoderSpec.positive("imageSize", imageSize);
        DecoderSpec.positive("patchSize", patchSize);
        DecoderSpec.positive("layers", layers);
        DecoderSpec.positive("embd", embd);
        DecoderSpec.positive("heads", heads);
        DecoderSpec.positive("ff", ff);
        DecoderSpec.positive("hidden", hidden);
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException("imageSize " + imageSize + " must be a multiple of patchSize " + patchSize);
        }
        if (layers < 2) {
            throw new IllegalArgumentException("layers must be at least 2 (features come from the second-to-last)");
        }
        if (embd % heads != 0) {
            throw new IllegalArgumentException("heads " + heads + " must divide embd " + embd);
        }
        if (kind == Kind.QWEN2VL_MERGER && imageSize % (MERGE * patchSize) != 0) {
            throw new IllegalArgumentException("the merger's imageSize " + imageSize + " must be a multiple of "
                    + MERGE * patchSize);
        }
        if (kind == Kind.QWEN2VL_MERGER && (embd / heads) % 4 != 0) {
            throw new IllegalArgumentException("the merger's head size " + embd / heads + " must be a multiple of 4");
        }
        if (ff == embd) {
            throw new IllegalArgumentException("ff must differ from embd");
        }
        if (type == GgmlType.Q8_0) {
            throw new IllegalArgumentException("projector matrices are F32 or F16");
        }
    }

    /** An LLaVA-style ({@link Kind#MLP}) projector. */
    public ProjectorSpec(String name, int textEmbd, int imageSize, int patchSize, int layers, int embd, int heads,
                         int ff, int hidden, GgmlType type, long seed) {
        this(name, textEmbd, imageSize, patchSize, layers, embd, heads, ff, hidden, type, seed, Kind.MLP);
    }

    /**
     * A tiny projector for {@code text}: 64-pixel images in 16-pixel patches (16 image embeddings),
     * 2 blocks 32 wide with 2 heads, ff 48, projector hidden width 64, F32.
     */
    public static ProjectorSpec tinyFor(DecoderSpec text) {
        return new ProjectorSpec(text.name() + "-mmproj", text.embd(), 64, 16, 2, 32, 2, 48, 64, GgmlType.F32, 7);
    }

    /**
     * A tiny Qwen2-VL-style merger for {@code text} (a {@link DecoderArch#QWEN2VL} model): 14-pixel
     * patches merged 2x2 (one embedding per 28x28 pixels), 2 blocks 32 wide with 2 heads, ff 48, merger
     * hidden width 128 (four patches' width, as in Qwen2-VL), F32.
     */
    public static ProjectorSpec tinyMergerFor(DecoderSpec text) {
        return new ProjectorSpec(text.name() + "-mmproj", text.embd(), 560, 14, 2, 32, 2, 48, 128, GgmlType.F32, 7,
                Kind.QWEN2VL_MERGER);
    }

    /** Patches along one side of the image. */
    public int patchesPerSide() {
        return imageSize / patchSize;
    }

    /**
     * Embeddings (text-model positions) one image becomes: fixed for an {@link Kind#MLP} projector; for
     * the merger, those of an {@code imageSize} square.
     */
    public int imageTokens() {
        int side = kind == Kind.MLP ? patchesPerSide() : patchesPerSide() / MERGE;
        return side * side;
    }

    /** Number of parameters the projector will have. */
    public long parameterCount() {
        long perLayer = 4L * embd * embd + 4L * embd + 2L * embd * ff + ff + embd + 4L * embd;
        if (kind == Kind.QWEN2VL_MERGER) {
            long merged = (long) MERGE * MERGE * embd;
            return 2L * 3 * patchSize * patchSize * embd + layers * perLayer + 2L * embd
                    + merged * hidden + hidden + (long) hidden * textEmbd + textEmbd;
        }
        long patches = imageTokens();
        return 3L * patchSize * patchSize * embd + embd + embd + (patches + 1) * embd + 2L * embd
                + layers * perLayer + (long) embd * hidden + hidden + (long) hidden * textEmbd + textEmbd;
    }

    public ProjectorSpec withName(String v) {
        return new ProjectorSpec(v, textEmbd, imageSize, patchSize, layers, embd, heads, ff, hidden, type, seed, kind);
    }

    public ProjectorSpec withTextEmbd(int v) {
        return new ProjectorSpec(name, v, imageSize, patchSize, layers, embd, heads, ff, hidden, type, seed, kind);
    }

    public ProjectorSpec withImageSize(int v) {
        return new ProjectorSpec(name, textEmbd, v, patchSize, layers, embd, heads, ff, hidden, type, seed, kind);
    }

    public ProjectorSpec withPatchSize(int v) {
        return new ProjectorSpec(name, textEmbd, imageSize, v, layers, embd, heads, ff, hidden, type, seed, kind);
    }

    public ProjectorSpec withLayers(int v) {
        return new ProjectorSpec(name, textEmbd, imageSize, patchSize, v, embd, heads, ff, hidden, type, seed, kind);
    }

    public ProjectorSpec withEmbd(int v) {
        return new ProjectorSpec(name, textEmbd, imageSize, patchSize, layers, v, heads, ff, hidden, type, seed, kind);
    }

    public ProjectorSpec withHeads(int v) {
        return new ProjectorSpec(name, textEmbd, imageSize, patchSize, layers, embd, v, ff, hidden, type, seed, kind);
    }

    public ProjectorSpec withFf(int v) {
        return new ProjectorSpec(name, textEmbd, imageSize, patchSize, layers, embd, heads, v, hidden, type, seed, kind);
    }

    public ProjectorSpec withHidden(int v) {
        return new ProjectorSpec(name, textEmbd, imageSize, patchSize, layers, embd, heads, ff, v, type, seed, kind);
    }

    public ProjectorSpec withType(GgmlType v) {
        return new ProjectorSpec(name, textEmbd, imageSize, patchSize, layers, embd, heads, ff, hidden, v, seed, kind);
    }

    public ProjectorSpec withKind(Kind v) {
        return new ProjectorSpec(name, textEmbd, imageSize, patchSize, layers, embd, heads, ff, hidden, type, seed, v);
    }

    public ProjectorSpec withSeed(long v) {
        return new ProjectorSpec(name, textEmbd, imageSize, patchSize, layers, embd, heads, ff, hidden, type, v, kind);
    }

    /**
     * The record's usual text; an {@link Kind#MLP} projector leaves its kind out, so that its cached file
     * keeps the name (a hash of this text) it had before there were other kinds.
     */
    @Override
    public String toString() {
        return "ProjectorSpec[name=" + name + ", textEmbd=" + textEmbd + ", imageSize=" + imageSize + ", patchSize="
                + patchSize + ", layers=" + layers + ", embd=" + embd + ", heads=" + heads + ", ff=" + ff
                + ", hidden=" + hidden + ", type=" + type + ", seed=" + seed
                + (kind == Kind.MLP ? "" : ", kind=" + kind) + "]";
    }
}
