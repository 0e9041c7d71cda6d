package io.llamabox.config;

import java.util.Optional;

/** Mirostat sampling ({@code --mirostat}), numbered 0 to 2 on the command line. */
public enum MirostatMode {
    DISABLED(0),
    MIROSTAT(1),
    MIROSTAT_V2(2);

    private final int code;

    MirostatMode(int code) {
        this.code = code;
    }

    /** The number used on the command line and in requests. */
    public int code() {
        return code;
    }

    /** The constant numbered {@code code}, if any. */
    public static Optional<MirostatMode> fromCode(int code) {
        for (MirostatMode m : values()) {
            if (m.code == code) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
