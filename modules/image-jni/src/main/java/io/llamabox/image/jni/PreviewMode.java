package io.llamabox.image.jni;

/** How previews of intermediate steps are made ({@code enum preview_t}, same order). */
public enum PreviewMode {
    NONE,
    /** A fixed linear projection of the latent to RGB: cheap and rough. */
    PROJ,
    /** Decoded with the tiny autoencoder given as {@link DiffusionModelParams#taesd()}. */
    TAE,
    /** Decoded with the model's own VAE: exact and as costly as the final decode. */
    VAE
}
