package io.llamabox.testkit.model;

import java.util.Objects;

/**
 * The shape of a generated Stable Diffusion model: a file in the tensor names of the original
 * single-file checkpoints ({@code cond_stage_model.*} text encoder, {@code model.diffusion_model.*}
 * UNet, {@code first_stage_model.*} VAE), written as GGUF, that stable-diffusion.cpp loads and
 * identifies as its {@link Version}.
 *
 * <p>Only what stable-diffusion.cpp reads from the weights is small: the UNet's width
 * ({@code model_channels}; its levels, blocks and attention layout are fixed per version) and the VAE
 * decoder's base width. The text encoder and the VAE encoder are built to fixed sizes in its code, so they
 * are full size. Immutable; change it with the {@code withX} methods.
 *
 * @param name            {@code general.name}
 * @param version         the model family
 * @param modelChannels   the UNet's {@code model_channels}: a multiple of 32 (GroupNorm's 32 groups),
 *                        and of 64 for SD 2.x (whose attention heads are 64 wide)
 * @param decoderChannels the VAE decoder's base width, a multiple of 32
 * @param seed            seed of the random weights
 */
public record DiffusionSpec(String name, Version version, int modelChannels, int decoderChannels, long seed) {

    /** The model families the generator writes, with the text encoder each one has. */
    public enum Version {
        /** SD 1.x: OpenAI CLIP ViT-L/14 text encoder (768 wide, 12 layers), in Hugging Face CLIP names. */
        SD1("sd1", 768, 12, 3072, 4),
        /**
         * SD 1.x inpainting: SD 1.x whose UNet reads 9 channels (the noisy latent, the mask, the masked
         * image's latent), which stable-diffusion.cpp detects as "SD 1.x Inpaint".
         */
        SD1_INPAINT("sd1-inpaint", 768, 12, 3072, 9),
        /** SD 2.x: OpenCLIP ViT-H/14 text encoder (1024 wide, 24 layers), in OpenCLIP names. */
        SD2("sd2", 1024, 24, 4096, 4);

        private final String id;
        private final int textWidth;
        private final int textLayers;
        private final int textFf;
        private final int unetInputChannels;

        Version(String id, int textWidth, int textLayers, int textFf, int unetInputChannels) {
            this.id = id;
            this.textWidth = textWidth;
            this.textLayers = textLayers;
            this.textFf = textFf;
            this.unetInputChannels = unetInputChannels;
        }

        /** The short name {@code tools/make-model} knows it by. */
        public String id() {
            return id;
        }

        /** The text encoder's width, which is also the UNet's cross-attention {@code context_dim}. */
        public int textWidth() {
            return textWidth;
        }

        /** The text encoder's layers. */
        public int textLayers() {
            return textLayers;
        }

        /** The text encoder's feed-forward width. */
        public int textFf() {
            return textFf;
        }

        /** The channels of the UNet's first convolution, by which stable-diffusion.cpp tells inpainting models. */
        public int unetInputChannels() {
            return unetInputChannels;
        }

        /** The version {@code tools/make-model} calls {@code id}. */
        public static Version ofId(String id) {
            for (Version v : values()) {
                if (v.id.equals(id)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("no image model version " + id);
        }
    }

    public DiffusionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        int unetMultiple = version == Version.SD2 ? 64 : 32;
        if (modelChannels <= 0 || modelChannels % unetMultiple != 0) {
            throw new IllegalArgumentException("modelChannels of " + version + " must be a positive multiple of "
                    + unetMultiple + ", got " + modelChannels);
        }
        if (decoderChannels <= 0 || decoderChannels % 32 != 0) {
            throw new IllegalArgumentException("decoderChannels must be a positive multiple of 32, got " + decoderChannels);
        }
    }

    /** The smallest SD 1.x model stable-diffusion.cpp accepts: UNet and VAE decoder 32 wide. */
    public static DiffusionSpec tinySd1() {
        return new DiffusionSpec("tiny-sd1", Version.SD1, 32, 32, 42);
    }

    /** {@link #tinySd1()} with the inpainting UNet's 9 input channels. */
    public static DiffusionSpec tinySd1Inpaint() {
        return new DiffusionSpec("tiny-sd1-inpaint", Version.SD1_INPAINT, 32, 32, 42);
    }

    /**
     * An SD 1.x model a {@link DiffusionPartSpec.Kind#CONTROL_NET} can drive: its UNet at the full 320
     * channels the ControlNet's outputs have (stable-diffusion.cpp adds them to the UNet's skip
     * connections), the VAE decoder still 32 wide.
     */
    public static DiffusionSpec sd1ForControlNet() {
        return new DiffusionSpec("sd1-for-controlnet", Version.SD1, 320, 32, 42);
    }

    /** The smallest SD 2.x model stable-diffusion.cpp accepts: UNet 64 wide (one 64-wide head), VAE decoder 32 wide. */
    public static DiffusionSpec tinySd2() {
        return new DiffusionSpec("tiny-sd2", Version.SD2, 64, 32, 42);
    }

    /** The tiny model of {@code version}. */
    public static DiffusionSpec tiny(Version version) {
        return switch (version) {
            case SD1 -> tinySd1();
            case SD1_INPAINT -> tinySd1Inpaint();
            case SD2 -> tinySd2();
        };
    }

    public DiffusionSpec withName(String v) {
        return new DiffusionSpec(v, version, modelChannels, decoderChannels, seed);
    }

    public DiffusionSpec withModelChannels(int v) {
        return new DiffusionSpec(name, version, v, decoderChannels, seed);
    }

    public DiffusionSpec withDecoderChannels(int v) {
        return new DiffusionSpec(name, version, modelChannels, v, seed);
    }

    public DiffusionSpec withSeed(long v) {
        return new DiffusionSpec(name, version, modelChannels, decoderChannels, v);
    }

    /** Number of weights in the file. */
    public long parameterCount() {
        return DiffusionModelGenerator.writer(this).tensorInfos().stream().mapToLong(t -> t.elementCount()).sum();
    }
}
