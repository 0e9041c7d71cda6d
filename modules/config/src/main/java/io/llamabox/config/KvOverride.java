package io.llamabox.config;

import java.nio.charset.StandardCharsets;

/** A model metadata value replaced at load time ({@code --override-kv KEY=TYPE:VALUE}). */
public sealed interface KvOverride {
    /** llama.cpp keeps keys and string values in 128-byte NUL-terminated buffers. */
    int MAX_BYTES = 127;

    /** The metadata key, e.g. {@code tokenizer.ggml.add_bos_token}. */
    String key();

    /** {@code KEY=int:VALUE}. */
    record IntValue(String key, long value) implements KvOverride {
        public IntValue {
            checkKey(key);
        }
    }

    /** {@code KEY=float:VALUE}. */
    record FloatValue(String key, double value) implements KvOverride {
        public FloatValue {
            checkKey(key);
            Invariants.finite("override value of " + key, value);
        }
    }

    /** {@code KEY=bool:true|false}. */
    record BoolValue(String key, boolean value) implements KvOverride {
        public BoolValue {
            checkKey(key);
        }
    }

    /** {@code KEY=str:VALUE}. */
    record StringValue(String key, String value) implements KvOverride {
        public StringValue {
            checkKey(key);
            Invariants.present("override value of " + key, value);
            if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
                throw new IllegalArgumentException("override value of " + key + " must be at most " + MAX_BYTES
                        + " bytes");
            }
        }
    }

    private static void checkKey(String key) {
        Invariants.present("override key", key);
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_BYTES) {
            throw new IllegalArgumentException("override key must be 1 to " + MAX_BYTES + " bytes, got " + bytes);
        }
    }
}
