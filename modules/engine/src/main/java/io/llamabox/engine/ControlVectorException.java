package io.llamabox.engine;

import java.nio.file.Path;

/** A control-vector file that cannot be used: unreadable, not GGUF, damaged, or not made for the model. */
public final class ControlVectorException extends RuntimeException {
    private final transient Path file;

    ControlVectorException(Path file, String problem) {
        super("control vector " + file + ": " + problem);
        this.file = file;
    }

    ControlVectorException(Path file, String problem, Throwable cause) {
        super("control vector " + file + ": " + problem, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
