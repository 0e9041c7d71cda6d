package io.llamabox.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The image engine (generation and edits). Absent values are taken from the model.
 *
 * @param maxBatch most images per request ({@code --image-max-batch})
 * @param maxHeight largest height in pixels: above 256, a multiple of 64 ({@code --image-max-height})
 * @param maxWidth largest width in pixels: above 256, a multiple of 64 ({@code --image-max-width})
 * @param guidance guidance during computing ({@code --image-guidance})
 * @param strength noising strength 0..1 ({@code --image-strength})
 * @param sampleMethod sampling method ({@code --image-sample-method})
 * @param samplingSteps sampling steps ({@code --image-sampling-steps})
 * @param cfgScale classifier-free guidance scale, 1 off ({@code --image-cfg-scale})
 * @param skipLayerGuidance skip-layer guidance
 * @param scheduleMethod denoiser sigma schedule ({@code --image-schedule-method})
 * @param components component files and their offloading
 * @param vaeTiling whether the VAE decodes in tiles ({@code --image-vae-tiling})
 * @param upscaleRepeats how many times the upscaler runs ({@code --image-upscale-repeats})
 * @param controlStrength how strongly the control net applies ({@code --image-control-strength})
 * @param controlCanny whether the canny preprocessor runs ({@code --image-control-canny})
 * @param freeComputeMemoryImmediately free compute memory at once ({@code --image-free-compute-memory-immediately})
 */
public record ImageSettings(int maxBatch, int maxHeight, int maxWidth, double guidance, OptionalDouble strength,
        Optional<ImageSampleMethod> sampleMethod, OptionalInt samplingSteps, OptionalDouble cfgScale,
        SkipLayerGuidance skipLayerGuidance, ImageScheduleMethod scheduleMethod, ImageComponents components,
        boolean vaeTiling, int upscaleRepeats, double controlStrength, boolean controlCanny,
        boolean freeComputeMemoryImmediately) {
    public ImageSettings {
        Invariants.atLeast("image batch maximum", maxBatch, 1);
        checkPixels("image maximum height", maxHeight);
        checkPixels("image maximum width", maxWidth);
        Invariants.atLeast("image guidance", guidance, 0.0);
        Invariants.present("image strength", strength);
        strength.ifPresent(v -> Invariants.between("image strength", v, 0.0, 1.0));
        Invariants.optional("image sample method", sampleMethod);
        Invariants.present("image sampling steps", samplingSteps);
        samplingSteps.ifPresent(v -> Invariants.atLeast("image sampling steps", v, 1));
        Invariants.present("image CFG scale", cfgScale);
        cfgScale.ifPresent(v -> Invariants.finite("image CFG scale", v));
        Invariants.present("skip-layer guidance", skipLayerGuidance);
        Invariants.present("image schedule method", scheduleMethod);
        Invariants.present("image components", components);
        Invariants.atLeast("upscale repeats", upscaleRepeats, 1);
        Invariants.atLeast("control strength", controlStrength, 0.0);
    }

    private static void checkPixels(String name, int value) {
        if (value <= 256 || value % 64 != 0) {
            throw new IllegalArgumentException(name + " must be larger than 256 and a multiple of 64, got " + value);
        }
    }

    /** The settings that apply when nothing is given. */
    public static ImageSettings defaults() {
        return builder().build();
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects image engine settings; starts from the spec's defaults. */
    public static final class Builder {
        private int maxBatch = 4;
        private int maxHeight = 1024;
        private int maxWidth = 1024;
        private double guidance = 3.5;
        private Double strength;
        private ImageSampleMethod sampleMethod;
        private Integer samplingSteps;
        private Double cfgScale;
        private Double slgScale;
        private List<Integer> slgSkipLayers = SkipLayerGuidance.DEFAULT_SKIP_LAYERS;
        private double slgStart = 0.01;
        private double slgEnd = 0.20;
        private ImageScheduleMethod scheduleMethod = ImageScheduleMethod.DISCRETE;
        private Path clipL;
        private Path clipG;
        private Path t5xxl;
        private Path vae;
        private Path taesd;
        private Path upscaler;
        private Path controlNet;
        private boolean textEncoderOffload = true;
        private boolean vaeOffload = true;
        private boolean controlNetOffload = true;
        private boolean vaeTiling;
        private int upscaleRepeats = 1;
        private double controlStrength = 0.9;
        private boolean controlCanny;
        private boolean freeComputeMemoryImmediately;

        private Builder() {
        }

        public Builder maxBatch(int value) {
            maxBatch = value;
            return this;
        }

        public Builder maxHeight(int value) {
            maxHeight = value;
            return this;
        }

        public Builder maxWidth(int value) {
            maxWidth = value;
            return this;
        }

        public Builder guidance(double value) {
            guidance = value;
            return this;
        }

        public Builder strength(double value) {
            strength = value;
            return this;
        }

        public Builder sampleMethod(ImageSampleMethod value) {
            sampleMethod = Objects.requireNonNull(value, "image sample method");
            return this;
        }

        public Builder samplingSteps(int value) {
            samplingSteps = value;
            return this;
        }

        public Builder cfgScale(double value) {
            cfgScale = value;
            return this;
        }

        public Builder slgScale(double value) {
            slgScale = value;
            return this;
        }

        public Builder slgSkipLayers(List<Integer> value) {
            slgSkipLayers = value;
            return this;
        }

        public Builder slgStart(double value) {
            slgStart = value;
            return this;
        }

        public Builder slgEnd(double value) {
            slgEnd = value;
            return this;
        }

        public Builder scheduleMethod(ImageScheduleMethod value) {
            scheduleMethod = value;
            return this;
        }

        public Builder clipL(Path value) {
            clipL = Objects.requireNonNull(value, "CLIP-L model");
            return this;
        }

        public Builder clipG(Path value) {
            clipG = Objects.requireNonNull(value, "CLIP-G model");
            return this;
        }

        public Builder t5xxl(Path value) {
            t5xxl = Objects.requireNonNull(value, "T5-XXL model");
            return this;
        }

        public Builder vae(Path value) {
            vae = Objects.requireNonNull(value, "VAE model");
            return this;
        }

        public Builder taesd(Path value) {
            taesd = Objects.requireNonNull(value, "TAESD model");
            return this;
        }

        public Builder upscaler(Path value) {
            upscaler = Objects.requireNonNull(value, "upscale model");
            return this;
        }

        public Builder controlNet(Path value) {
            controlNet = Objects.requireNonNull(value, "control net model");
            return this;
        }

        public Builder textEncoderOffload(boolean value) {
            textEncoderOffload = value;
            return this;
        }

        public Builder vaeOffload(boolean value) {
            vaeOffload = value;
            return this;
        }

        public Builder controlNetOffload(boolean value) {
            controlNetOffload = value;
            return this;
        }

        public Builder vaeTiling(boolean value) {
            vaeTiling = value;
            return this;
        }

        public Builder upscaleRepeats(int value) {
            upscaleRepeats = value;
            return this;
        }

        public Builder controlStrength(double value) {
            controlStrength = value;
            return this;
        }

        public Builder controlCanny(boolean value) {
            controlCanny = value;
            return this;
        }

        public Builder freeComputeMemoryImmediately(boolean value) {
            freeComputeMemoryImmediately = value;
            return this;
        }

        /** The settings; fails with {@link IllegalArgumentException} naming the first invalid one. */
        public ImageSettings build() {
            return new ImageSettings(maxBatch, maxHeight, maxWidth, guidance,
                    strength == null ? OptionalDouble.empty() : OptionalDouble.of(strength),
                    Optional.ofNullable(sampleMethod),
                    samplingSteps == null ? OptionalInt.empty() : OptionalInt.of(samplingSteps),
                    cfgScale == null ? OptionalDouble.empty() : OptionalDouble.of(cfgScale),
                    new SkipLayerGuidance(slgScale == null ? OptionalDouble.empty() : OptionalDouble.of(slgScale),
                            slgSkipLayers, slgStart, slgEnd),
                    scheduleMethod,
                    new ImageComponents(Optional.ofNullable(clipL), Optional.ofNullable(clipG),
                            Optional.ofNullable(t5xxl), Optional.ofNullable(vae), Optional.ofNullable(taesd),
                            Optional.ofNullable(upscaler), Optional.ofNullable(controlNet), textEncoderOffload,
                            vaeOffload, controlNetOffload),
                    vaeTiling, upscaleRepeats, controlStrength, controlCanny, freeComputeMemoryImmediately);
        }
    }
}
