package io.llamabox.spi.image;

import java.util.Objects;

/**
 * An image model as loaded.
 *
 * @param path the model file
 * @param family the family the engine detected (for example {@code SD1}, {@code SD2}, {@code SDXL})
 * @param defaults what a request gets for the settings it leaves out
 */
public record ImageModel(String path, String family, ImageDefaults defaults) {
    public ImageModel {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(defaults, "defaults");
    }
}
