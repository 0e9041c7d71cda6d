package io.llamabox.testkit.gguf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One GGUF metadata value.
 *
 * <p>The Java representation of {@link #value()} depends on {@link #type()}: every integer type is a
 * {@link Long} (an unsigned 64-bit value keeps its bit pattern), {@code FLOAT32} a {@link Float},
 * {@code FLOAT64} a {@link Double}, {@code BOOL} a {@link Boolean}, {@code STRING} a {@link String}, and
 * {@code ARRAY} an unmodifiable {@link List} whose elements follow the same rules for
 * {@link #elementType()} (nested arrays are {@code GgufValue}s of type {@code ARRAY}).
 *
 * @param type        the value type
 * @param elementType for arrays the element type, otherwise {@code null}
 * @param value       the value, represented as described above
 */
public record GgufValue(GgufValueType type, GgufValueType elementType, Object value) {

    public GgufValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (type == GgufValueType.ARRAY) {
            Objects.requireNonNull(elementType, "elementType");
            if (!(value instanceof List<?> list)) {
                throw new IllegalArgumentException("an array value must be a List");
            }
            List<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(checkScalar(elementType, element));
            }
            value = Collections.unmodifiableList(copy);
        } else {
            if (elementType != null) {
                throw new IllegalArgumentException("only arrays have an element type");
            }
            value = checkScalar(type, value);
        }
    }

    private static Object checkScalar(GgufValueType type, Object v) {
        Objects.requireNonNull(v, "array element");
        switch (type) {
            case UINT8 -> { return range(type, v, 0, 0xFF); }
            case INT8 -> { return range(type, v, Byte.MIN_VALUE, Byte.MAX_VALUE); }
            case UINT16 -> { return range(type, v, 0, 0xFFFF); }
            case INT16 -> { return range(type, v, Short.MIN_VALUE, Short.MAX_VALUE); }
            case UINT32 -> { return range(type, v, 0, 0xFFFF_FFFFL); }
            case INT32 -> { return range(type, v, Integer.MIN_VALUE, Integer.MAX_VALUE); }
            case UINT64, INT64 -> { return range(type, v, Long.MIN_VALUE, Long.MAX_VALUE); }
            case FLOAT32 -> {
                if (v instanceof Float f) {
                    return f;
                }
                throw new IllegalArgumentException("FLOAT32 needs a Float, got " + v.getClass().getSimpleName());
            }
            case FLOAT64 -> {
                if (v instanceof Double d) {
                    return d;
                }
                throw new IllegalArgumentException("FLOAT64 needs a Double, got " + v.getClass().getSimpleName());
            }
            case BOOL -> {
                if (v instanceof Boolean b) {
                    return b;
                }
                throw new IllegalArgumentException("BOOL needs a Boolean");
            }
            case STRING -> {
                if (v instanceof String s) {
                    return s;
                }
                throw new IllegalArgumentException("STRING needs a String");
            }
            case ARRAY -> {
                if (v instanceof GgufValue g && g.type() == GgufValueType.ARRAY) {
                    return g;
                }
                throw new IllegalArgumentException("elements of an array of arrays must be array GgufValues");
            }
            default -> throw new IllegalStateException(type.name());
        }
    }

    private static Long range(GgufValueType type, Object v, long min, long max) {
        long x;
        if (v instanceof Long l) {
            x = l;
        } else if (v instanceof Integer i) {
            x = i;
        } else if (v instanceof Short s) {
            x = s;
        } else if (v instanceof Byte b) {
            x = b;
        } else {
            throw new IllegalArgumentException(type + " needs an integral number, got " + v.getClass().getSimpleName());
        }
        if (x < min || x > max) {
            throw new IllegalArgumentException(x + " is out of range for " + type);
        }
        return x;
    }

    public static GgufValue uint8(int v) {
        return new GgufValue(GgufValueType.UINT8, null, (long) v);
    }

    public static GgufValue int8(int v) {
        return new GgufValue(GgufValueType.INT8, null, (long) v);
    }

    public static GgufValue uint16(int v) {
        return new GgufValue(GgufValueType.UINT16, null, (long) v);
    }

    public static GgufValue int16(int v) {
        return new GgufValue(GgufValueType.INT16, null, (long) v);
    }

    public static GgufValue uint32(long v) {
        return new GgufValue(GgufValueType.UINT32, null, v);
    }

    public static GgufValue int32(int v) {
        return new GgufValue(GgufValueType.INT32, null, (long) v);
    }

    /** An unsigned 64-bit value given by its bit pattern. */
    public static GgufValue uint64(long bits) {
        return new GgufValue(GgufValueType.UINT64, null, bits);
    }

    public static GgufValue int64(long v) {
        return new GgufValue(GgufValueType.INT64, null, v);
    }

    public static GgufValue float32(float v) {
        return new GgufValue(GgufValueType.FLOAT32, null, v);
    }

    public static GgufValue float64(double v) {
        return new GgufValue(GgufValueType.FLOAT64, null, v);
    }

    public static GgufValue bool(boolean v) {
        return new GgufValue(GgufValueType.BOOL, null, v);
    }

    public static GgufValue string(String v) {
        return new GgufValue(GgufValueType.STRING, null, v);
    }

    /** An array of {@code elementType} whose elements are represented as described on this class. */
    public static GgufValue array(GgufValueType elementType, List<?> elements) {
        return new GgufValue(GgufValueType.ARRAY, elementType, elements);
    }

    public static GgufValue stringArray(List<String> elements) {
        return array(GgufValueType.STRING, elements);
    }

    public static GgufValue float32Array(float[] elements) {
        List<Float> list = new ArrayList<>(elements.length);
        for (float f : elements) {
            list.add(f);
        }
        return array(GgufValueType.FLOAT32, list);
    }

    public static GgufValue int32Array(int[] elements) {
        List<Long> list = new ArrayList<>(elements.length);
        for (int i : elements) {
            list.add((long) i);
        }
        return array(GgufValueType.INT32, list);
    }

    /** The value of an integer type as a long (the bit pattern for UINT64). */
    public long asLong() {
        if (!type.isInteger()) {
            throw new IllegalStateException(type + " is not an integer type");
        }
        return (Long) value;
    }

    /** The value of an integer type that fits in an int. */
    public int asInt() {
        return Math.toIntExact(asLong());
    }

    /** The value of a FLOAT32 or FLOAT64. */
    public double asDouble() {
        return switch (type) {
            case FLOAT32 -> (Float) value;
            case FLOAT64 -> (Double) value;
            default -> throw new IllegalStateException(type + " is not a float type");
        };
    }

    public boolean asBoolean() {
        if (type != GgufValueType.BOOL) {
            throw new IllegalStateException(type + " is not BOOL");
        }
        return (Boolean) value;
    }

    public String asString() {
        if (type != GgufValueType.STRING) {
            throw new IllegalStateException(type + " is not STRING");
        }
        return (String) value;
    }

    /** The elements of an ARRAY. */
    public List<?> asList() {
        if (type != GgufValueType.ARRAY) {
            throw new IllegalStateException(type + " is not ARRAY");
        }
        return (List<?>) value;
    }

    /** The elements of a STRING array. */
    @SuppressWarnings("unchecked")
    public List<String> asStringList() {
        if (type != GgufValueType.ARRAY || elementType != GgufValueType.STRING) {
            throw new IllegalStateException("not an array of strings");
        }
        return (List<String>) value;
    }

    @Override
    public String toString() {
        if (type == GgufValueType.ARRAY) {
            List<?> list = asList();
            return "ARRAY<" + elementType + ">[" + list.size() + "]";
        }
        return type + ":" + value;
    }
}
