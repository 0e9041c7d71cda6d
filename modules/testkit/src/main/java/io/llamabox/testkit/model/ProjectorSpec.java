package io.llamabox.testkit.model;

import io.llamabox.testkit.gguf.GgmlType;

import java.util.Objects;

/**
 * The shape of a generated LLaVA-style vision projector ({@code --mmproj}): a CLIP ViT encoder
 * (patch embedding, class token, learned positions, pre-norm blocks) followed by a two-layer MLP
 * ({@code clip.projector_type = "mlp"}) whose output width is the text model's embedding width.
 * Immutable; change it with the {@code withX} methods.
 *
 * @param name      {@code general.name}
 * @param textEmbd  embedding width of the text model it feeds (the projector's output width)
 * @param imageSize side of the square image the encoder sees, in pixels; a multiple of {@code patchSize}
 * @param patchSize side of a patch; one image yields {@code (imageSize / patchSize)^2} embeddings
 * @param layers    encoder blocks; LLaVA reads the features of the second-to-last one
 * @param embd      encoder width
 * @param heads     encoder attention heads; must divide {@code embd}
 * @param ff        encoder feed-forward width; differs from {@code embd} (libmtmd tells the legacy
 *                  swapped up/down layout apart by their shapes)
 * @param hidden    width of the projector's hidden layer
 * @param type      type of the weight matrices (F32 or F16; the patch kernel, norms, biases and
 *                  embeddings stay F32)
 * @param seed      seed of the random weights
 */
public record ProjectorSpec(String name, int textEmbd, int imageSize, int patchSize, int layers, int embd, int heads,
                            int ff, int hidden, GgmlType type, long seed) {

    public ProjectorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
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
        if (ff == embd) {
            throw new IllegalArgumentException("ff must differ from embd");
        }
        if (type == GgmlType.Q8_0) {
            throw new IllegalArgumentException("projector matrices are F32 or F16");
        }
    }

    /**
     * A tiny projector for {@code text}: 64-pixel images in 16-pixel patches (16 image embeddings),
     * 2 blocks 32 wide with 2 heads, ff 48, projector hidden width 64, F32.
     */
    public static ProjectorSpec tinyFor(DecoderSpec text) {
        return new ProjectorSpec(text.name() + "-mmproj", text.embd(), 64, 16, 2, 32, 2, 48, 64, GgmlType.F32, 7);
    }

    /** Patches along one side of the image. */
    public int patchesPerSide() {
        return imageSize / patchSize;
    }

    /** Embeddings (text-model positions) one image becomes. */
    public int imageTokens() {
        return patchesPerSide() * patchesPerSide();
    }

    /** Number of parameters the projector will have. */
    public long parameterCount() {
        long patches = imageTokens();
        long perLayer = 4L * embd * embd + 4L * embd + 2L * embd * ff + ff + embd + 4L * embd;
        return 3L * patchSize * patchSize * embd + embd + embd + (patches + 1) * embd + 2L * embd
                + layers * perLayer + (long) embd * hidden + hidden + (long) hidden * textEmbd + textEmbd;
    }

    public ProjectorSpec withName(String v) {
        return new ProjectorSpec(v, textEmbd, imageSize, patchSize, layers, embd, heads, ff, hidden, type, seed);
    }

    public ProjectorSpec withTextEmbd(int v) {
        return new ProjectorSpec(name, v, imageSize, patchSize, layers, embd, heads, ff, hidden, type, seed);
    }

    public ProjectorSpec withImageSize(int v) {
        return new ProjectorSpec(name, textEmbd, v, patchSize, layers, embd, heads, ff, hidden, type, seed);
    }

    public ProjectorSpec withPatchSize(int v) {
        return new ProjectorSpec(name, textEmbd, imageSize, v, layers, embd, heads, ff, hidden, type, seed);
    }

    public ProjectorSpec withLayers(int v) {
        return new ProjectorSpec(name, textEmbd, imageSize, patchSize, v, embd, heads, ff, hidden, type, seed);
    }

    public ProjectorSpec withEmbd(int v) {
        return new ProjectorSpec(name, textEmbd, imageSize, patchSize, layers, v, heads, ff, hidden, type, seed);
    }

    public ProjectorSpec withHeads(int v) {
        return new ProjectorSpec(name, textEmbd, imageSize, patchSize, layers, embd, v, ff, hidden, type, seed);
    }

    public ProjectorSpec withFf(int v) {
        return new ProjectorSpec(name, textEmbd, imageSize, patchSize, layers, embd, heads, v, hidden, type, seed);
    }

    public ProjectorSpec withHidden(int v) {
        return new ProjectorSpec(name, textEmbd, imageSize, patchSize, layers, embd, heads, ff, v, type, seed);
    }

    public ProjectorSpec withType(GgmlType v) {
        return new ProjectorSpec(name, textEmbd, imageSize, patchSize, layers, embd, heads, ff, hidden, v, seed);
    }

    public ProjectorSpec withSeed(long v) {
        return new ProjectorSpec(name, textEmbd, imageSize, patchSize, layers, embd, heads, ff, hidden, type, v);
    }
}
