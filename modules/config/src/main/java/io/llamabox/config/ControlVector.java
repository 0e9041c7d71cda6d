package io.llamabox.config;

import java.nio.file.Path;

/** A control vector file and its scale ({@code --control-vector}, {@code --control-vector-scaled}). */
public record ControlVector(Path path, double scale) {
    public ControlVector {
        Invariants.present("control vector path", path);
        Invariants.finite("control vector scale", scale);
    }
}
