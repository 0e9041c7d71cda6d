package io.llamabox.testkit.model;

import java.util.Objects;

/**
 * A generated piece that stable-diffusion.cpp loads beside an image model: a TAESD, a ControlNet or an
 * ESRGAN upscaler, in random weights. Their sizes are not free: stable-diffusion.cpp builds each to fixed
 * widths in its code and checks the file's shapes against them, so only what it reads from the weights
 * (the upscaler's number of blocks) is made small. Immutable; change it with the {@code withX} methods.
 *
 * @param name {@code general.name}
 * @param kind which piece
 * @param seed seed of the random weights
 */
public record DiffusionPartSpec(String name, Kind kind, long seed) {

    /** The pieces the generator writes. */
    public enum Kind {
        /** The tiny autoencoder of SD 1.x/2.x latents (encoder and decoder 64 wide), for {@code --taesd}. */
        TAESD("taesd"),
        /**
         * A ControlNet for SD 1.x (a copy of the UNet's input side with a hint encoder and zero
         * convolutions), for {@code --control-net}. stable-diffusion.cpp builds it 320 wide whatever the
         * file holds, and adds its outputs to the UNet's skip connections, so the model it drives must
         * have a 320-wide UNet too ({@link DiffusionSpec#sd1ForControlNet()}).
         */
        CONTROL_NET("sd1-controlnet"),
        /** An ESRGAN x4 upscaler (RRDBNet, 64 features) with one residual-in-residual block, for {@code --upscale-model}. */
        ESRGAN("esrgan");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** The name {@code tools/make-model} knows it by. */
        public String id() {
            return id;
        }
    }

    public DiffusionPartSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }

    /** The piece of {@code kind} with its default name ({@code tiny-} and its id) and seed 42. */
    public static DiffusionPartSpec of(Kind kind) {
        return new DiffusionPartSpec("tiny-" + kind.id(), kind, 42);
    }

    public DiffusionPartSpec withName(String v) {
        return new DiffusionPartSpec(v, kind, seed);
    }

    public DiffusionPartSpec withSeed(long v) {
        return new DiffusionPartSpec(name, kind, v);
    }

    /** Number of weights in the file. */
    public long parameterCount() {
        return DiffusionPartGenerator.writer(this).tensorInfos().stream().mapToLong(t -> t.elementCount()).sum();
    }
}
