package io.llamabox.image.jni;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link DiffusionContext#load} loads and how. Files are checked when the record is made: each
 * path given must exist and be readable.
 *
 * @param model               a single-file checkpoint (GGUF, safetensors, ckpt) or a diffusers directory;
 *                            may be null when {@code diffusionModel} is given
 * @param diffusionModel      standalone diffusion weights (UNet/DiT), or null
 * @param clipL               a separate CLIP-L text encoder, or null
 * @param clipG               a separate CLIP-G text encoder, or null
 * @param t5xxl               a separate T5-XXL text encoder, or null
 * @param vae                 a separate VAE, or null
 * @param taesd               a tiny autoencoder (for decoding or {@link PreviewMode#TAE} previews), or null
 * @param controlNet          a ControlNet, or null
 * @param threads             compute threads, at least 1
 * @param vaeOffload          keep the VAE on the CPU when a GPU backend is compiled in ({@code vae=cpu})
 * @param textEncoderOffload  keep the text encoders on the CPU ({@code te=cpu})
 * @param controlNetOffload   keep the ControlNet on the CPU ({@code controlnet=cpu})
 * @param flashAttention      use flash attention
 * @param diffusionConvDirect direct 2D convolutions in the diffusion model
 * @param vaeConvDirect       direct 2D convolutions in the VAE
 * @param loraApplyMode       when LoRAs are applied
 * @param rngType             the noise generator
 * @param eagerLoad           read every weight at load; by default (as sd-cli and sd-server do) each weight is
 *                            read at its first use, so parts a request never needs (the VAE encoder, for
 *                            text-to-image) are never read
 */
public record DiffusionModelParams(Path model, Path diffusionModel, Path clipL, Path clipG, Path t5xxl, Path vae,
        Path taesd, Path controlNet, int threads, boolean vaeOffload, boolean textEncoderOffload,
        boolean controlNetOffload, boolean flashAttention, boolean diffusionConvDirect, boolean vaeConvDirect,
        LoraApplyMode loraApplyMode, RngType rngType, boolean eagerLoad) {

    public DiffusionModelParams {
        if (model == null && diffusionModel == null) {
            throw new IllegalArgumentException("a model or a diffusion model is required");
        }
        checkReadable("model", model, true);
        checkReadable("diffusion model", diffusionModel, false);
        checkReadable("CLIP-L", clipL, false);
        checkReadable("CLIP-G", clipG, false);
        checkReadable("T5-XXL", t5xxl, false);
        checkReadable("VAE", vae, false);
        checkReadable("TAESD", taesd, false);
        checkReadable("ControlNet", controlNet, false);
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        Objects.requireNonNull(loraApplyMode, "loraApplyMode");
        Objects.requireNonNull(rngType, "rngType");
    }

    /** Defaults for a single-file model. */
    public static DiffusionModelParams of(Path model) {
        return builder(model).build();
    }

    /** A builder with stable-diffusion.cpp's defaults, weights read at load, one thread per available processor. */
    public static Builder builder(Path model) {
        return new Builder().model(model);
    }

    public Builder toBuilder() {
        return new Builder().model(model).diffusionModel(diffusionModel).clipL(clipL).clipG(clipG).t5xxl(t5xxl)
                .vae(vae).taesd(taesd).controlNet(controlNet).threads(threads).vaeOffload(vaeOffload)
                .textEncoderOffload(textEncoderOffload).controlNetOffload(controlNetOffload)
                .flashAttention(flashAttention).diffusionConvDirect(diffusionConvDirect).vaeConvDirect(vaeConvDirect)
                .loraApplyMode(loraApplyMode).rngType(rngType).eagerLoad(eagerLoad);
    }

    /** The paths in the order of the native side (absent ones empty). */
    byte[][] nativePaths() {
        Path[] paths = {model, diffusionModel, clipL, clipG, t5xxl, vae, taesd, controlNet};
        byte[][] out = new byte[paths.length][];
        for (int i = 0; i < paths.length; i++) {
            out[i] = DiffusionLibrary.bytes(paths[i]);
        }
        return out;
    }

    /** stable-diffusion.cpp's runtime backend assignment for the offload flags (empty: its default). */
    String backendAssignment() {
        List<String> parts = new ArrayList<>();
        if (textEncoderOffload) {
            parts.add("te=cpu");
        }
        if (vaeOffload) {
            parts.add("vae=cpu");
        }
        if (controlNetOffload) {
            parts.add("controlnet=cpu");
        }
        return String.join(",", parts);
    }

    private static void checkReadable(String what, Path path, boolean directoryAllowed) {
        if (path == null) {
            return;
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(what + " not found: " + path);
        }
        if (!(Files.isRegularFile(path) || (directoryAllowed && Files.isDirectory(path)))) {
            throw new IllegalArgumentException(what + " is not a " + (directoryAllowed ? "file or directory" : "file")
                    + ": " + path);
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException(what + " is not readable: " + path);
        }
    }

    /** Builds {@link DiffusionModelParams}; unset values keep stable-diffusion.cpp's defaults. */
    public static final class Builder {
        private Path model;
        private Path diffusionModel;
        private Path clipL;
        private Path clipG;
        private Path t5xxl;
        private Path vae;
        private Path taesd;
        private Path controlNet;
        private int threads = Runtime.getRuntime().availableProcessors();
        private boolean vaeOffload;
        private boolean textEncoderOffload;
        private boolean controlNetOffload;
        private boolean flashAttention;
        private boolean diffusionConvDirect;
        private boolean vaeConvDirect;
        private LoraApplyMode loraApplyMode = LoraApplyMode.AUTO;
        private RngType rngType = RngType.CUDA;
        private boolean eagerLoad;

        private Builder() {
        }

        public Builder model(Path v) { model = v; return this; }
        public Builder diffusionModel(Path v) { diffusionModel = v; return this; }
        public Builder clipL(Path v) { clipL = v; return this; }
        public Builder clipG(Path v) { clipG = v; return this; }
        public Builder t5xxl(Path v) { t5xxl = v; return this; }
        public Builder vae(Path v) { vae = v; return this; }
        public Builder taesd(Path v) { taesd = v; return this; }
        public Builder controlNet(Path v) { controlNet = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder vaeOffload(boolean v) { vaeOffload = v; return this; }
        public Builder textEncoderOffload(boolean v) { textEncoderOffload = v; return this; }
        public Builder controlNetOffload(boolean v) { controlNetOffload = v; return this; }
        public Builder flashAttention(boolean v) { flashAttention = v; return this; }
        public Builder diffusionConvDirect(boolean v) { diffusionConvDirect = v; return this; }
        public Builder vaeConvDirect(boolean v) { vaeConvDirect = v; return this; }
        public Builder loraApplyMode(LoraApplyMode v) { loraApplyMode = v; return this; }
        public Builder rngType(RngType v) { rngType = v; return this; }
        public Builder eagerLoad(boolean v) { eagerLoad = v; return this; }

        public DiffusionModelParams build() {
            return new DiffusionModelParams(model, diffusionModel, clipL, clipG, t5xxl, vae, taesd, controlNet,
                    threads, vaeOffload, textEncoderOffload, controlNetOffload, flashAttention, diffusionConvDirect,
                    vaeConvDirect, loraApplyMode, rngType, eagerLoad);
        }
    }
}
