package io.llamabox.spi.image;

/** Previews of an image while it is being generated. */
public enum ImagePreview {
    /** None. */
    NONE,
    /** The current latent decoded by the model's autoencoder at each step. */
    FULL,
    /** A quick approximation of the current latent at each step (a linear projection of its channels). */
    FAST
}
