package io.llamabox.image.jni;

import java.util.List;
import java.util.Objects;

/**
 * One generation: text-to-image, or image-to-image from an init image (with a mask: inpainting), optionally
 * guided by a control image. Sizes, counts and numbers are checked when the record is made; sampler and
 * scheduler names are checked against the library's lists by {@link DiffusionContext#generate}.
 *
 * @param prompt          the prompt (stable-diffusion.cpp's {@code (word:1.2)} weighting applies)
 * @param negativePrompt  the negative prompt, possibly empty
 * @param clipSkip        CLIP layers to skip, or -1 for the model's default
 * @param width           image width in pixels, a positive multiple of 8; stable-diffusion.cpp rounds it up
 *                        to the model's own multiple (64 for SD 1.x, 2.x and XL) and the images come back
 *                        at that size
 * @param height          image height in pixels, likewise
 * @param sampleMethod    a name from {@link DiffusionLibrary#sampleMethods()}, or {@code default}: the
 *                        model's ({@link DiffusionContext#defaultSampleMethod()})
 * @param scheduler       a name from {@link DiffusionLibrary#schedulers()}, or {@code default}: the one
 *                        stable-diffusion.cpp picks for the model and sampler
 * @param steps           sampling steps, at least 1
 * @param cfgScale        classifier-free guidance scale for the text ({@code txt_cfg})
 * @param imageCfgScale   image guidance scale of edit models, or NaN for {@code cfgScale}
 * @param guidance        distilled guidance of guidance-distilled models (FLUX)
 * @param eta             the sampler's eta, or NaN for the sampler's default
 * @param skipLayers      layers skipped by skip-layer guidance (empty: none)
 * @param skipLayerStart  where skip-layer guidance starts, as a fraction of the steps
 * @param skipLayerEnd    where it ends
 * @param skipLayerScale  its scale (0: off)
 * @param seed            the noise seed; a negative seed is replaced by a random one
 * @param batchCount      images to generate, with seeds {@code seed}, {@code seed + 1}, ...
 * @param strength        denoising strength (image-to-image; unused by text-to-image)
 * @param loras           LoRAs applied for this generation
 * @param vaeTiling       decode the latent in tiles (less memory for large images)
 * @param previewMode     previews of intermediate steps for {@link GenerationListener#preview}
 * @param previewInterval a preview every this many steps, at least 1
 * @param previewNoisy    preview the noisy latent instead of the denoised estimate
 * @param initImage       the image to start from (RGB), or null for text-to-image; stable-diffusion.cpp scales it
 *                        to {@code width} x {@code height}
 * @param mask            which pixels of the init image to repaint (one channel: 255 repaint, 0 keep), or null to
 *                        repaint all of it; needs an init image; scaled likewise
 * @param controlImage    the control net's input (RGB), or null
 * @param controlStrength how strongly the control net steers, 0 or more
 */
public record GenerationParams(String prompt, String negativePrompt, int clipSkip, int width, int height,
        String sampleMethod, String scheduler, int steps, float cfgScale, float imageCfgScale, float guidance,
        float eta, List<Integer> skipLayers, float skipLayerStart, float skipLayerEnd, float skipLayerScale, long seed,
        int batchCount, float strength, List<Lora> loras, boolean vaeTiling, PreviewMode previewMode,
        int previewInterval, boolean previewNoisy, RawImage initImage, RawImage mask, RawImage controlImage,
        float controlStrength) {

    /** The name that stands for stable-diffusion.cpp's own choice of sampler or scheduler. */
    public static final String DEFAULT = "default";
    /** The largest side accepted, in pixels. */
    public static final int MAX_SIDE = 16384;
    public static final int MAX_STEPS = 10000;
    public static final int MAX_BATCH = 256;

    public GenerationParams {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(negativePrompt, "negativePrompt");
        Objects.requireNonNull(sampleMethod, "sampleMethod");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(previewMode, "previewMode");
        skipLayers = List.copyOf(skipLayers);
        loras = List.copyOf(loras);
        if (clipSkip != -1 && clipSkip < 1) {
            throw new IllegalArgumentException("clipSkip must be -1 (the model's default) or at least 1, got " + clipSkip);
        }
        checkSide("width", width);
        checkSide("height", height);
        if (steps < 1 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("steps must be in 1.." + MAX_STEPS + ", got " + steps);
        }
        if (batchCount < 1 || batchCount > MAX_BATCH) {
            throw new IllegalArgumentException("batchCount must be in 1.." + MAX_BATCH + ", got " + batchCount);
        }
        checkFinite("cfgScale", cfgScale);
        if (!Float.isNaN(imageCfgScale)) {
            checkFinite("imageCfgScale", imageCfgScale);
        }
        checkFinite("guidance", guidance);
        if (!Float.isNaN(eta)) {
            checkFinite("eta", eta);
        }
        for (Integer layer : skipLayers) {
            if (layer < 0) {
                throw new IllegalArgumentException("skip layers must be non-negative, got " + layer);
            }
        }
        checkFinite("skipLayerStart", skipLayerStart);
        checkFinite("skipLayerEnd", skipLayerEnd);
        checkFinite("skipLayerScale", skipLayerScale);
        if (skipLayerStart < 0 || skipLayerEnd > 1 || skipLayerStart > skipLayerEnd) {
            throw new IllegalArgumentException("skip-layer guidance needs 0 <= start <= end <= 1, got "
                    + skipLayerStart + ".." + skipLayerEnd);
        }
        checkFinite("strength", strength);
        if (strength < 0 || strength > 1) {
            throw new IllegalArgumentException("strength must be in 0..1, got " + strength);
        }
        if (previewInterval < 1) {
            throw new IllegalArgumentException("previewInterval must be at least 1, got " + previewInterval);
        }
        checkImage("initImage", initImage, 3);
        checkImage("mask", mask, 1);
        checkImage("controlImage", controlImage, 3);
        if (mask != null && initImage == null) {
            throw new IllegalArgumentException("a mask needs an init image");
        }
        checkFinite("controlStrength", controlStrength);
        if (controlStrength < 0) {
            throw new IllegalArgumentException("controlStrength must not be negative, got " + controlStrength);
        }
    }

    private static void checkImage(String what, RawImage image, int channels) {
        if (image == null) {
            return;
        }
        if (image.channels() != channels) {
            throw new IllegalArgumentException(what + " must have " + channels + " channel(s), got " + image.channels());
        }
        if (image.width() > MAX_SIDE || image.height() > MAX_SIDE) {
            throw new IllegalArgumentException(what + " sides must be at most " + MAX_SIDE + ", got "
                    + image.width() + "x" + image.height());
        }
    }

    /** A builder with stable-diffusion.cpp's defaults (512x512, 20 steps, cfg 7, seed 42 as sd-cli). */
    public static Builder builder(String prompt) {
        return new Builder().prompt(prompt);
    }

    public Builder toBuilder() {
        return new Builder().prompt(prompt).negativePrompt(negativePrompt).clipSkip(clipSkip).width(width)
                .height(height).sampleMethod(sampleMethod).scheduler(scheduler).steps(steps).cfgScale(cfgScale)
                .imageCfgScale(imageCfgScale).guidance(guidance).eta(eta)
                .skipLayerGuidance(skipLayers, skipLayerStart, skipLayerEnd, skipLayerScale).seed(seed)
                .batchCount(batchCount).strength(strength).loras(loras).vaeTiling(vaeTiling)
                .preview(previewMode, previewInterval, previewNoisy).initImage(initImage).mask(mask)
                .control(controlImage, controlStrength);
    }

    private static void checkSide(String what, int value) {
        if (value <= 0 || value > MAX_SIDE || value % 8 != 0) {
            throw new IllegalArgumentException(what + " must be a positive multiple of 8 up to " + MAX_SIDE
                    + ", got " + value);
        }
    }

    private static void checkFinite(String what, float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(what + " must be finite, got " + value);
        }
    }

    /** Builds {@link GenerationParams}. */
    public static final class Builder {
        private String prompt = "";
        private String negativePrompt = "";
        private int clipSkip = -1;
        private int width = 512;
        private int height = 512;
        private String sampleMethod = DEFAULT;
        private String scheduler = DEFAULT;
        private int steps = 20;
        private float cfgScale = 7.0f;
        private float imageCfgScale = Float.NaN;
        private float guidance = 3.5f;
        private float eta = Float.NaN;
        private List<Integer> skipLayers = List.of();
        private float skipLayerStart = 0.01f;
        private float skipLayerEnd = 0.2f;
        private float skipLayerScale = 0f;
        private long seed = 42;
        private int batchCount = 1;
        private float strength = 0.75f;
        private List<Lora> loras = List.of();
        private boolean vaeTiling;
        private PreviewMode previewMode = PreviewMode.NONE;
        private int previewInterval = 1;
        private boolean previewNoisy;
        private RawImage initImage;
        private RawImage mask;
        private RawImage controlImage;
        private float controlStrength = 0.9f;

        private Builder() {
        }

        public Builder prompt(String v) { prompt = v; return this; }
        public Builder negativePrompt(String v) { negativePrompt = v; return this; }
        public Builder clipSkip(int v) { clipSkip = v; return this; }
        public Builder width(int v) { width = v; return this; }
        public Builder height(int v) { height = v; return this; }
        public Builder size(int w, int h) { width = w; height = h; return this; }
        public Builder sampleMethod(String v) { sampleMethod = v; return this; }
        public Builder scheduler(String v) { scheduler = v; return this; }
        public Builder steps(int v) { steps = v; return this; }
        public Builder cfgScale(float v) { cfgScale = v; return this; }
        public Builder imageCfgScale(float v) { imageCfgScale = v; return this; }
        public Builder guidance(float v) { guidance = v; return this; }
        public Builder eta(float v) { eta = v; return this; }

        public Builder skipLayerGuidance(List<Integer> layers, float start, float end, float scale) {
            skipLayers = layers;
            skipLayerStart = start;
            skipLayerEnd = end;
            skipLayerScale = scale;
            return this;
        }

        public Builder seed(long v) { seed = v; return this; }
        public Builder batchCount(int v) { batchCount = v; return this; }
        public Builder strength(float v) { strength = v; return this; }
        public Builder loras(List<Lora> v) { loras = v; return this; }
        public Builder vaeTiling(boolean v) { vaeTiling = v; return this; }

        public Builder preview(PreviewMode mode, int interval, boolean noisy) {
            previewMode = mode;
            previewInterval = interval;
            previewNoisy = noisy;
            return this;
        }

        public Builder initImage(RawImage v) { initImage = v; return this; }
        public Builder mask(RawImage v) { mask = v; return this; }

        public Builder control(RawImage image, float strength) {
            controlImage = image;
            controlStrength = strength;
            return this;
        }

        public GenerationParams build() {
            return new GenerationParams(prompt, negativePrompt, clipSkip, width, height, sampleMethod, scheduler,
                    steps, cfgScale, imageCfgScale, guidance, eta, skipLayers, skipLayerStart, skipLayerEnd,
                    skipLayerScale, seed, batchCount, strength, loras, vaeTiling, previewMode, previewInterval,
                    previewNoisy, initImage, mask, controlImage, controlStrength);
        }
    }
}
