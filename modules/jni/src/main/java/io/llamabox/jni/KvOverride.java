package io.llamabox.jni;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** One {@code --override-kv KEY=TYPE:VALUE}: a metadata value replaced at load time. */
public record KvOverride(String key, Kind kind, long intValue, double floatValue, boolean boolValue, String stringValue) {
    /** The value kinds, in the order of {@code enum llama_model_kv_override_type}. */
    public enum Kind { INT, FLOAT, BOOL, STR }

    // llama_model_kv_override holds char key[128] and char val_str[128], both NUL-terminated
    private static final int MAX_BYTES = 127;

    public KvOverride {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        if (key.isEmpty() || key.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException("override key must be 1.." + MAX_BYTES + " bytes: " + key);
        }
        if (kind == Kind.STR && (stringValue == null || stringValue.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES)) {
            throw new IllegalArgumentException("override string for " + key + " must be at most " + MAX_BYTES + " bytes");
        }
    }

    /** Parses {@code KEY=TYPE:VALUE} with TYPE one of int, float, bool, str. */
    public static KvOverride parse(String spec) {
        int eq = spec.indexOf('=');
        int colon = eq < 0 ? -1 : spec.indexOf(':', eq);
        if (eq <= 0 || colon < 0) {
            throw new IllegalArgumentException("override must be KEY=TYPE:VALUE, got " + spec);
        }
        String key = spec.substring(0, eq);
        String type = spec.substring(eq + 1, colon);
        String value = spec.substring(colon + 1);
        try {
            return switch (type) {
                case "int" -> new KvOverride(key, Kind.INT, Long.parseLong(value), 0, false, null);
                case "float" -> new KvOverride(key, Kind.FLOAT, 0, Double.parseDouble(value), false, null);
                case "bool" -> switch (value) {
                    case "true" -> new KvOverride(key, Kind.BOOL, 0, 0, true, null);
                    case "false" -> new KvOverride(key, Kind.BOOL, 0, 0, false, null);
                    default -> throw new IllegalArgumentException("bool override must be true or false, got " + value);
                };
                case "str" -> new KvOverride(key, Kind.STR, 0, 0, false, value);
                default -> throw new IllegalArgumentException("override type must be int, float, bool or str, got " + type);
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("override value is not a valid " + type + ": " + value);
        }
    }
}
