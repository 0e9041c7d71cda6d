package io.llamabox.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Typed reads of a request object's fields. A field that is absent or JSON {@code null} takes its
 * default; a field of the wrong type is a 400 that names it.
 */
public final class JsonFields {
    private final ObjectNode node;
    private final String prefix;

    public JsonFields(ObjectNode node) {
        this(node, "");
    }

    private JsonFields(ObjectNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    public ObjectNode node() {
        return node;
    }

    /** The field's name as the client should read it in an error, e.g. {@code stream_options.include_usage}. */
    public String path(String name) {
        return prefix + name;
    }

    /** Whether the field is present and not null. */
    public boolean has(String name) {
        return get(name) != null;
    }

    /** The field, or null when absent or JSON null. */
    public JsonNode get(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    public Optional<String> string(String name) {
        JsonNode v = get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw wrongType(name, "a string");
        }
        return Optional.of(v.textValue());
    }

    public String string(String name, String fallback) {
        return string(name).orElse(fallback);
    }

    public Optional<Integer> integer(String name) {
        JsonNode v = get(name);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(asInt(v, path(name)));
    }

    public int integer(String name, int fallback) {
        return integer(name).orElse(fallback);
    }

    public long longValue(String name, long fallback) {
        JsonNode v = get(name);
        if (v == null) {
            return fallback;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue())
                && Math.abs(v.doubleValue()) < 0x1p63) {
            return (long) v.doubleValue();
        }
        throw wrongType(name, "an integer");
    }

    public float number(String name, float fallback) {
        JsonNode v = get(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw wrongType(name, "a number");
        }
        return v.floatValue();
    }

    public boolean bool(String name, boolean fallback) {
        JsonNode v = get(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw wrongType(name, "a boolean");
        }
        return v.booleanValue();
    }

    public Optional<JsonFields> object(String name) {
        JsonNode v = get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof ObjectNode o)) {
            throw wrongType(name, "an object");
        }
        return Optional.of(new JsonFields(o, path(name) + "."));
    }

    public Optional<ArrayNode> array(String name) {
        JsonNode v = get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof ArrayNode a)) {
            throw wrongType(name, "an array");
        }
        return Optional.of(a);
    }

    public ApiException wrongType(String name, String expected) {
        return ApiException.invalid("\"" + path(name) + "\" must be " + expected);
    }

    /** An integer value of a field or array element; {@code what} names it in the error. */
    public static int asInt(JsonNode v, String what) {
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.intValue();
        }
        if (v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue())
                && Math.abs(v.doubleValue()) <= Integer.MAX_VALUE) {
            return (int) v.doubleValue();
        }
        throw ApiException.invalid("\"" + what + "\" must be an integer");
    }
}
