package io.llamabox.chat.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compiles one JSON schema document into rules of a {@link GbnfBuilder}. Output is compact JSON with at
 * most one space after {@code :} and {@code ,} and after an opening bracket; properties come in the
 * order the schema declares them.
 */
final class SchemaCompiler {
    private static final int MAX_DEPTH = 64;
    /** Strings and arrays longer than this are cut to it (a shorter value is still valid). */
    static final int MAX_LENGTH = 10_000;
    private static final int MAX_KEY = 32;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonNode TRUE = NODES.booleanNode(true);

    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "default", "examples", "$comment",
            "deprecated", "readOnly", "writeOnly", "$schema", "$id", "$defs", "definitions", "$anchor", "strict",
            "contentMediaType", "contentEncoding", "name");
    private static final Map<String, String> UNSUPPORTED = Map.ofEntries(
            Map.entry("not", "\"not\" cannot be expressed as a grammar"),
            Map.entry("if", "conditional schemas (if/then/else) are not supported"),
            Map.entry("then", "conditional schemas (if/then/else) are not supported"),
            Map.entry("else", "conditional schemas (if/then/else) are not supported"),
            Map.entry("patternProperties", "\"patternProperties\" is not supported"),
            Map.entry("propertyNames", "\"propertyNames\" is not supported"),
            Map.entry("dependentRequired", "\"dependentRequired\" is not supported"),
            Map.entry("dependentSchemas", "\"dependentSchemas\" is not supported"),
            Map.entry("dependencies", "\"dependencies\" is not supported"),
            Map.entry("unevaluatedProperties", "\"unevaluatedProperties\" is not supported"),
            Map.entry("unevaluatedItems", "\"unevaluatedItems\" is not supported"),
            Map.entry("contains", "\"contains\" is not supported"),
            Map.entry("minContains", "\"minContains\" is not supported"),
            Map.entry("maxContains", "\"maxContains\" is not supported"),
            Map.entry("multipleOf", "\"multipleOf\" is not supported"),
            Map.entry("minProperties", "\"minProperties\" is not supported"),
            Map.entry("maxProperties", "\"maxProperties\" is not supported"),
            Map.entry("$dynamicRef", "\"$dynamicRef\" is not supported"),
            Map.entry("$recursiveRef", "\"$recursiveRef\" is not supported"));
    private static final List<String> TYPES = List.of("object", "array", "string", "integer", "number", "boolean",
            "null");

    private final GbnfBuilder g;
    private final JsonNode document;
    private final Map<String, String> refRules = new HashMap<>();
    private int depth;
    private String anyValue;
    private String anyObject;

    SchemaCompiler(GbnfBuilder g, JsonNode document) {
        this.g = g;
        this.document = document;
    }

    /** The name of a rule matching one JSON value valid for {@code schema}. */
    String rule(JsonNode schema, String path, String hint) {
        if (++depth > MAX_DEPTH) {
            throw new SchemaException(path, "the schema is nested more than " + MAX_DEPTH + " levels deep");
        }
        try {
            return compile(schema, path, hint);
        } finally {
            depth--;
        }
    }

    private String compile(JsonNode schema, String path, String hint) {
        if (schema == null) {
            return anyValue();
        }
        if (schema.isBoolean()) {
            if (!schema.booleanValue()) {
                throw new SchemaException(path, "the schema false allows no value");
            }
            return anyValue();
        }
        if (!(schema instanceof ObjectNode s)) {
            throw new SchemaException(path, "a schema must be an object or a boolean, got " + kind(schema));
        }
        for (Map.Entry<String, JsonNode> e : s.properties()) {
            String why = UNSUPPORTED.get(e.getKey());
            if (why != null) {
                throw new SchemaException(path, why);
            }
        }
        if (s.has("uniqueItems") && s.get("uniqueItems").asBoolean(false)) {
            throw new SchemaException(path, "\"uniqueItems\" cannot be enforced by a grammar");
        }
        if (s.has("$ref")) {
            if (!constrains(s, Set.of("$ref"))) {
                return ref(s.get("$ref"), path, hint);
            }
            // a reference with constraints beside it: both apply
            ObjectNode rest = s.deepCopy();
            rest.remove("$ref");
            ObjectNode all = NODES.objectNode();
            all.set("allOf", NODES.arrayNode().add(refNode(s.get("$ref"))).add(rest));
            return rule(all, path, hint);
        }
        if (s.has("allOf")) {
            ArrayNode parts = arrayOf(s, "allOf", path);
            ObjectNode rest = s.deepCopy();
            rest.remove("allOf");
            List<JsonNode> all = new ArrayList<>();
            parts.forEach(all::add);
            all.add(rest);
            ObjectNode merged = NODES.objectNode();
            for (JsonNode p : resolveParts(all, path)) {
                merged = merge(merged, p, path);
            }
            return rule(merged, path, hint);
        }
        if (s.has("anyOf") || s.has("oneOf")) {
            if (s.has("anyOf") && s.has("oneOf")) {
                throw new SchemaException(path, "\"anyOf\" together with \"oneOf\" is not supported");
            }
            String key = s.has("anyOf") ? "anyOf" : "oneOf";
            ArrayNode branches = arrayOf(s, key, path);
            if (branches.isEmpty()) {
                throw new SchemaException(path + "/" + key, "must not be empty");
            }
            ObjectNode base = s.deepCopy();
            base.remove(key);
            boolean withBase = constrains(base, Set.of());
            List<String> alts = new ArrayList<>();
            for (int i = 0; i < branches.size(); i++) {
                JsonNode b = branches.get(i);
                String at = path + "/" + key + "/" + i;
                JsonNode branch = b;
                if (withBase) {
                    ObjectNode merged = base;
                    for (JsonNode part : resolveParts(List.of(b), at)) {
                        merged = merge(merged, part, at);
                    }
                    branch = merged;
                }
                alts.add(rule(branch, at, hint + "-" + i));
            }
            return g.define(hint, String.join(" | ", new LinkedHashSet<>(alts)));
        }
        Set<String> types = types(s, path);
        if (s.has("const")) {
            return g.define(hint, literal(s.get("const")));
        }
        if (s.has("enum")) {
            ArrayNode values = arrayOf(s, "enum", path);
            List<String> alts = new ArrayList<>();
            for (JsonNode v : values) {
                String t = typeOf(v);
                if (types == null || types.contains(t) || types.contains("number") && t.equals("integer")) {
                    alts.add(literal(v));
                }
            }
            if (alts.isEmpty()) {
                throw new SchemaException(path, "no value of \"enum\" matches the schema's type");
            }
            return g.define(hint, String.join(" | ", new LinkedHashSet<>(alts)));
        }
        if (types == null) {
            types = inferType(s);
        }
        if (types == null) {
            return anyValue();
        }
        if (types.size() > 1) {
            List<String> alts = new ArrayList<>();
            for (String t : types) {
                ObjectNode one = s.deepCopy();
                one.put("type", t);
                one.remove("nullable");
                alts.add(rule(one, path, hint + "-" + t));
            }
            return g.define(hint, String.join(" | ", alts));
        }
        String type = types.iterator().next();
        return switch (type) {
            case "object" -> object(s, path, hint);
            case "array" -> array(s, path, hint);
            case "string" -> string(s, path, hint);
            case "integer" -> integer(s, path, hint);
            case "number" -> number(s, path, hint);
            case "boolean" -> g.define("boolean", "\"true\" | \"false\"");
            case "null" -> g.define("null", "\"null\"");
            default -> throw new IllegalStateException(type);
        };
    }

    // ---- shared rules ----

    String space() {
        return g.define("space", "\" \"?");
    }

    private String jsonChar() {
        // "u" escapes of lone surrogates are left out: they stand for no character
        return g.define("char", "[^\"\\\\\\x00-\\x1F] | \"\\\\\" ([\"\\\\/bfnrt]"
                + " | \"u\" ([0-9a-cA-CefEF] [0-9a-fA-F]{3} | [dD] [0-7] [0-9a-fA-F]{2}))");
    }

    String anyString() {
        return g.define("string", "\"\\\"\" " + jsonChar() + "* \"\\\"\"");
    }

    String anyValue() {
        if (anyValue == null) {
            String value = g.reserve("value");
            String object = g.reserve("object");
            String array = g.reserve("array");
            anyValue = value;
            anyObject = object;
            String sp = space();
            String str = anyString();
            String kv = str + " \":\" " + sp + " " + value;
            g.set(object, "\"{\" " + sp + " (" + kv + " (\",\" " + sp + " " + kv + ")*)? \"}\"");
            g.set(array, "\"[\" " + sp + " (" + value + " (\",\" " + sp + " " + value + ")*)? \"]\"");
            String number = g.define("number", NumberGrammar.UNBOUNDED_NUMBER);
            g.set(value, object + " | " + array + " | " + str + " | " + number + " | "
                    + g.define("boolean", "\"true\" | \"false\"") + " | " + g.define("null", "\"null\""));
        }
        return anyValue;
    }

    String anyObject() {
        anyValue();
        return anyObject;
    }

    // ---- references and combination ----

    private String ref(JsonNode ref, String path, String hint) {
        String r = refText(ref, path);
        String known = refRules.get(r);
        if (known != null) {
            return known;
        }
        String last = r.substring(r.lastIndexOf('/') + 1);
        String name = g.reserve(last.isEmpty() || r.equals("#") ? "root-ref" : last);
        refRules.put(r, name);
        JsonNode target = resolve(r, path);
        g.set(name, rule(target, r, last.isEmpty() ? hint : last));
        return name;
    }

    private static String refText(JsonNode ref, String path) {
        if (!ref.isTextual()) {
            throw new SchemaException(path, "\"$ref\" must be a string");
        }
        String r = ref.textValue();
        if (!r.startsWith("#")) {
            throw new SchemaException(path, "only local references (\"#/...\") are supported, got \"" + r + "\"");
        }
        if (!r.equals("#") && !r.startsWith("#/")) {
            throw new SchemaException(path, "anchor references are not supported, got \"" + r + "\"");
        }
        return r;
    }

    private JsonNode refNode(JsonNode ref) {
        ObjectNode o = NODES.objectNode();
        o.set("$ref", ref);
        return o;
    }

    private JsonNode resolve(String ref, String path) {
        JsonNode node = document;
        if (ref.length() > 1) {
            for (String raw : ref.substring(2).split("/", -1)) {
                String seg = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8)
                        .replace("~1", "/").replace("~0", "~");
                if (node.isArray()) {
                    try {
                        node = node.get(Integer.parseInt(seg));
                    } catch (NumberFormatException e) {
                        node = null;
                    }
                } else {
                    node = node.get(seg);
                }
                if (node == null) {
                    throw new SchemaException(path, "\"$ref\": \"" + ref + "\" does not resolve");
                }
            }
        }
        return node;
    }

    /** The parts of an allOf with top-level references resolved and nested allOf flattened. */
    private List<JsonNode> resolveParts(List<JsonNode> parts, String path) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : parts) {
            int guard = 0;
            while (p instanceof ObjectNode o && o.has("$ref") && !constrains(o, Set.of("$ref"))) {
                p = resolve(refText(o.get("$ref"), path), path);
                if (++guard > MAX_DEPTH) {
                    throw new SchemaException(path, "\"$ref\" cycle without content");
                }
            }
            if (p.isBoolean()) {
                if (!p.booleanValue()) {
                    throw new SchemaException(path, "\"allOf\" contains false: no value is valid");
                }
                continue;
            }
            if (!(p instanceof ObjectNode o)) {
                throw new SchemaException(path, "\"allOf\" items must be schemas");
            }
            if (o.has("allOf")) {
                ObjectNode rest = o.deepCopy();
                rest.remove("allOf");
                List<JsonNode> nested = new ArrayList<>();
                arrayOf(o, "allOf", path).forEach(nested::add);
                nested.add(rest);
                out.addAll(resolveParts(nested, path));
            } else if (o.has("$ref")) {
                ObjectNode rest = o.deepCopy();
                rest.remove("$ref");
                out.addAll(resolveParts(List.of(resolve(refText(o.get("$ref"), path), path)), path));
                out.add(rest);
            } else {
                out.add(o);
            }
        }
        return out;
    }

    /** Both schemas at once, as one schema. */
    private ObjectNode merge(JsonNode aNode, JsonNode bNode, String path) {
        if (!(aNode instanceof ObjectNode a) || !(bNode instanceof ObjectNode b)) {
            throw new SchemaException(path, "cannot combine non-object schemas");
        }
        ObjectNode out = a.deepCopy();
        for (Map.Entry<String, JsonNode> e : b.properties()) {
            String k = e.getKey();
            JsonNode bv = e.getValue();
            JsonNode av = out.get(k);
            if (av == null) {
                out.set(k, bv.deepCopy());
                continue;
            }
            if (av.equals(bv) || ANNOTATIONS.contains(k)) {
                continue;
            }
            switch (k) {
                case "type" -> {
                    Set<String> ta = typeSet(av, path);
                    Set<String> tb = typeSet(bv, path);
                    Set<String> both = new LinkedHashSet<>();
                    for (String t : ta) {
                        if (tb.contains(t)) {
                            both.add(t);
                        } else if (t.equals("integer") && tb.contains("number")) {
                            both.add("integer");
                        } else if (t.equals("number") && tb.contains("integer")) {
                            both.add("integer");
                        }
                    }
                    if (both.isEmpty()) {
                        throw new SchemaException(path, "\"allOf\" parts have no type in common");
                    }
                    ArrayNode arr = NODES.arrayNode();
                    both.forEach(arr::add);
                    out.set("type", both.size() == 1 ? NODES.textNode(both.iterator().next()) : arr);
                }
                case "required" -> {
                    Set<String> all = new LinkedHashSet<>();
                    av.forEach(x -> all.add(x.asText()));
                    bv.forEach(x -> all.add(x.asText()));
                    ArrayNode arr = NODES.arrayNode();
                    all.forEach(arr::add);
                    out.set("required", arr);
                }
                case "minimum", "minLength", "minItems", "exclusiveMinimum" ->
                        out.set(k, av.decimalValue().compareTo(bv.decimalValue()) >= 0 ? av : bv);
                case "maximum", "maxLength", "maxItems", "exclusiveMaximum" ->
                        out.set(k, av.decimalValue().compareTo(bv.decimalValue()) <= 0 ? av : bv);
                case "enum" -> {
                    ArrayNode arr = NODES.arrayNode();
                    for (JsonNode x : av) {
                        for (JsonNode y : bv) {
                            if (x.equals(y)) {
                                arr.add(x);
                                break;
                            }
                        }
                    }
                    if (arr.isEmpty()) {
                        throw new SchemaException(path, "\"allOf\" parts have no \"enum\" value in common");
                    }
                    out.set("enum", arr);
                }
                case "properties", "additionalProperties" -> {
                    // merged together below
                }
                case "items" -> out.set("items", both(av, bv));
                default -> throw new SchemaException(path, "\"allOf\" parts disagree on \"" + k
                        + "\", which cannot be combined");
            }
        }
        boolean objects = a.has("properties") || b.has("properties") || a.has("additionalProperties")
                || b.has("additionalProperties");
        if (objects) {
            mergeObjects(a, b, out, path);
        }
        return out;
    }

    private static JsonNode both(JsonNode a, JsonNode b) {
        ObjectNode o = NODES.objectNode();
        o.set("allOf", NODES.arrayNode().add(a.deepCopy()).add(b.deepCopy()));
        return o;
    }

    /**
     * Properties of two object schemas at once: a name one side declares must also satisfy what the other
     * side says about it, its own declaration or its additionalProperties (false removes it).
     */
    private void mergeObjects(ObjectNode a, ObjectNode b, ObjectNode out, String path) {
        Set<String> names = new LinkedHashSet<>();
        if (a.get("properties") instanceof ObjectNode pa) {
            pa.fieldNames().forEachRemaining(names::add);
        }
        if (b.get("properties") instanceof ObjectNode pb) {
            pb.fieldNames().forEachRemaining(names::add);
        }
        Set<String> required = new LinkedHashSet<>();
        if (out.get("required") instanceof ArrayNode r) {
            r.forEach(x -> required.add(x.asText()));
        }
        ObjectNode props = NODES.objectNode();
        for (String n : names) {
            JsonNode sa = propertySchema(a, n);
            JsonNode sb = propertySchema(b, n);
            if (sa == null || sb == null) {
                if (required.contains(n)) {
                    throw new SchemaException(path, "required property \"" + n + "\" is forbidden by"
                            + " \"additionalProperties\": false in another \"allOf\" part");
                }
                continue;
            }
            props.set(n, sa.equals(sb) ? sa : sa.isBoolean() && sa.booleanValue() ? sb
                    : sb.isBoolean() && sb.booleanValue() ? sa : both(sa, sb));
        }
        if (!props.isEmpty() || a.has("properties") || b.has("properties")) {
            out.set("properties", props);
        }
        JsonNode apa = a.get("additionalProperties");
        JsonNode apb = b.get("additionalProperties");
        if (apa == null || apb == null) {
            JsonNode only = apa == null ? apb : apa;
            if (only != null) {
                out.set("additionalProperties", only);
            } else {
                out.remove("additionalProperties");
            }
        } else if (apa.isBoolean() && !apa.booleanValue() || apb.isBoolean() && !apb.booleanValue()) {
            out.put("additionalProperties", false);
        } else if (apa.isBoolean()) {
            out.set("additionalProperties", apb);
        } else if (apb.isBoolean()) {
            out.set("additionalProperties", apa);
        } else {
            out.set("additionalProperties", both(apa, apb));
        }
    }

    /** What one object schema says about a property: its declaration, its additionalProperties, or true. */
    private static JsonNode propertySchema(ObjectNode s, String name) {
        if (s.get("properties") instanceof ObjectNode p && p.has(name)) {
            return p.get(name);
        }
        JsonNode ap = s.get("additionalProperties");
        if (ap == null) {
            return TRUE;
        }
        if (ap.isBoolean() && !ap.booleanValue()) {
            return null;
        }
        return ap;
    }

    /** Whether the schema has keywords other than annotations and {@code ignored}. */
    private static boolean constrains(ObjectNode s, Set<String> ignored) {
        for (Map.Entry<String, JsonNode> e : s.properties()) {
            if (!ANNOTATIONS.contains(e.getKey()) && !ignored.contains(e.getKey())) {
                return true;
            }
        }
        return false;
    }

    // ---- types ----

    private static Set<String> types(ObjectNode s, String path) {
        JsonNode t = s.get("type");
        Set<String> out = t == null ? null : typeSet(t, path);
        if (s.path("nullable").asBoolean(false) && out != null) {
            out.add("null");
        }
        return out;
    }

    private static Set<String> typeSet(JsonNode t, String path) {
        Set<String> out = new LinkedHashSet<>();
        if (t.isTextual()) {
            out.add(checkType(t.textValue(), path));
        } else if (t.isArray() && !t.isEmpty()) {
            for (JsonNode x : t) {
                if (!x.isTextual()) {
                    throw new SchemaException(path, "\"type\" must be a string or an array of strings");
                }
                out.add(checkType(x.textValue(), path));
            }
        } else {
            throw new SchemaException(path, "\"type\" must be a string or a non-empty array of strings");
        }
        return out;
    }

    private static String checkType(String t, String path) {
        if (!TYPES.contains(t)) {
            throw new SchemaException(path, "unknown type \"" + t + "\" (expected one of " + String.join(", ", TYPES)
                    + ")");
        }
        return t;
    }

    private static Set<String> inferType(ObjectNode s) {
        for (String k : List.of("properties", "additionalProperties", "required")) {
            if (s.has(k)) {
                return Set.of("object");
            }
        }
        for (String k : List.of("items", "prefixItems", "minItems", "maxItems")) {
            if (s.has(k)) {
                return Set.of("array");
            }
        }
        for (String k : List.of("minLength", "maxLength", "pattern", "format")) {
            if (s.has(k)) {
                return Set.of("string");
            }
        }
        for (String k : List.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")) {
            if (s.has(k)) {
                return Set.of("number");
            }
        }
        return null;
    }

    private static String typeOf(JsonNode v) {
        if (v.isObject()) {
            return "object";
        }
        if (v.isArray()) {
            return "array";
        }
        if (v.isTextual()) {
            return "string";
        }
        if (v.isIntegralNumber() || v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0) {
            return "integer";
        }
        if (v.isNumber()) {
            return "number";
        }
        if (v.isBoolean()) {
            return "boolean";
        }
        return "null";
    }

    private static String kind(JsonNode v) {
        return v.isNumber() ? "a number" : v.isTextual() ? "a string" : v.isArray() ? "an array"
                : v.getNodeType().toString();
    }

    // ---- objects ----

    private String object(ObjectNode s, String path, String hint) {
        JsonNode propsNode = s.get("properties");
        if (propsNode != null && !propsNode.isObject()) {
            throw new SchemaException(path, "\"properties\" must be an object");
        }
        Set<String> required = new LinkedHashSet<>();
        JsonNode req = s.get("required");
        if (req != null) {
            if (!req.isArray()) {
                throw new SchemaException(path, "\"required\" must be an array of strings");
            }
            for (JsonNode r : req) {
                if (!r.isTextual()) {
                    throw new SchemaException(path, "\"required\" must be an array of strings");
                }
                required.add(r.textValue());
            }
        }
        JsonNode ap = s.get("additionalProperties");
        if (ap != null && !ap.isBoolean() && !ap.isObject()) {
            throw new SchemaException(path, "\"additionalProperties\" must be a boolean or a schema");
        }
        if (propsNode == null && required.isEmpty() && (ap == null || ap.isBoolean() && ap.booleanValue())) {
            return anyObject();
        }
        boolean extras = ap != null && !(ap.isBoolean() && !ap.booleanValue());
        String sp = space();

        Map<String, JsonNode> props = new LinkedHashMap<>();
        if (propsNode != null) {
            propsNode.properties().forEach(e -> props.put(e.getKey(), e.getValue()));
        }
        for (String r : required) {
            if (!props.containsKey(r)) {
                if (ap != null && ap.isBoolean() && !ap.booleanValue()) {
                    throw new SchemaException(path, "required property \"" + r + "\" is not declared and"
                            + " \"additionalProperties\" is false");
                }
                props.put(r, ap == null || ap.isBoolean() ? TRUE : ap);
            }
        }
        List<String> kvs = new ArrayList<>();
        List<Boolean> mandatory = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : props.entrySet()) {
            String at = path + "/properties/" + e.getKey().replace("~", "~0").replace("/", "~1");
            String value = rule(e.getValue(), at, hint + "-" + e.getKey());
            kvs.add(GbnfBuilder.literal(jsonText(e.getKey())) + " \":\" " + sp + " " + value);
            mandatory.add(required.contains(e.getKey()));
        }
        String extraKv = null;
        if (extras) {
            String value = ap.isBoolean() ? anyValue() : rule(ap, path + "/additionalProperties", hint + "-extra");
            extraKv = g.define(hint + "-extra-kv", extraKey(props.keySet()) + " \":\" " + sp + " " + value);
        }
        int n = kvs.size();
        String[] after = new String[n + 1];
        String[] first = new String[n + 1];
        after[n] = extraKv == null ? "" : "(\",\" " + sp + " " + extraKv + ")*";
        first[n] = extraKv == null ? "" : "(" + extraKv + " " + after[n] + ")?";
        for (int i = n - 1; i >= 0; i--) {
            String kv = g.define(hint + "-kv", kvs.get(i));
            String next = ruleOrEmpty(hint + "-after", after[i + 1]);
            String comma = "\",\" " + sp + " " + kv;
            after[i] = mandatory.get(i) ? seq(comma, next) : seq("(" + comma + ")?", next);
            String firstNext = ruleOrEmpty(hint + "-rest", first[i + 1]);
            first[i] = mandatory.get(i) ? seq(kv, next)
                    : firstNext.isEmpty() ? "(" + seq(kv, next) + ")?" : "(" + seq(kv, next) + " | " + firstNext + ")";
        }
        return g.define(hint, "\"{\" " + sp + " " + seq(first[0], "\"}\""));
    }

    private String ruleOrEmpty(String hint, String body) {
        return body.isEmpty() ? "" : g.define(hint, body);
    }

    private static String seq(String a, String b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() ? a : a + " " + b;
    }

    /** A quoted property name of letters, digits and underscores that is none of {@code declared}. */
    private String extraKey(Set<String> declared) {
        Trie root = new Trie();
        for (String name : declared) {
            if (name.length() <= MAX_KEY && name.chars().allMatch(c -> CharSet.WORD.contains(c))) {
                Trie t = root;
                for (char c : name.toCharArray()) {
                    t = t.kids.computeIfAbsent(c, k -> new Trie());
                }
                t.terminal = true;
            }
        }
        return g.define("extra-key", "\"\\\"\" " + keyNode(root, 0) + " \"\\\"\"");
    }

    private static final class Trie {
        final TreeMap<Character, Trie> kids = new TreeMap<>();
        boolean terminal;
    }

    /**
     * What may follow the characters that led to {@code t}: a suffix making a key of 1 to {@link #MAX_KEY} word
     * characters that is not declared; null when nothing may.
     */
    private String keyNode(Trie t, int depth) {
        int left = MAX_KEY - depth;
        String word = CharSet.WORD.gbnfClass();
        boolean mayEnd = depth > 0 && !t.terminal;
        if (t.kids.isEmpty()) {
            if (left == 0) {
                return mayEnd ? "\"\"" : null;
            }
            return word + "{" + (mayEnd ? 0 : 1) + "," + left + "}";
        }
        List<String> alts = new ArrayList<>();
        CharSet others = CharSet.WORD;
        if (left > 0) {
            for (Map.Entry<Character, Trie> e : t.kids.entrySet()) {
                others = others.minus(CharSet.single(e.getKey()));
                String rest = keyNode(e.getValue(), depth + 1);
                if (rest != null) {
                    alts.add("\"" + e.getKey() + "\" " + rest);
                }
            }
            if (!others.isEmpty()) {
                alts.add(others.gbnfClass() + (left > 1 ? " " + word + "{0," + (left - 1) + "}" : ""));
            }
        }
        if (alts.isEmpty()) {
            return mayEnd ? "\"\"" : null;
        }
        String name = g.define("extra-key", String.join(" | ", alts));
        return mayEnd ? name + "?" : name;
    }

    // ---- arrays ----

    private String array(ObjectNode s, String path, String hint) {
        int min = count(s, "minItems", path, 0);
        int max = count(s, "maxItems", path, -1);
        if (max >= 0 && max < min) {
            throw new SchemaException(path, "\"maxItems\" is below \"minItems\"");
        }
        if (min > MAX_LENGTH) {
            throw new SchemaException(path, "\"minItems\" above " + MAX_LENGTH + " is not supported");
        }
        if (max > MAX_LENGTH) {
            max = MAX_LENGTH;
        }
        List<JsonNode> prefix = new ArrayList<>();
        JsonNode items = s.get("items");
        if (s.has("prefixItems")) {
            arrayOf(s, "prefixItems", path).forEach(prefix::add);
        } else if (items != null && items.isArray()) {
            items.forEach(prefix::add);
            items = s.get("additionalItems");
        }
        if (items != null && items.isBoolean() && !items.booleanValue()) {
            max = max < 0 ? prefix.size() : Math.min(max, prefix.size());
            if (max < min) {
                throw new SchemaException(path, "\"minItems\" needs more items than the schema allows");
            }
        }
        String sp = space();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < prefix.size() && (max < 0 || i < max); i++) {
            positional.add(rule(prefix.get(i), path + "/prefixItems/" + i, hint + "-" + i));
        }
        String rest = max >= 0 && max <= positional.size() ? null
                : rule(items, path + "/items", hint + "-item");
        String body = chain(positional, 0, rest, min, max, sp);
        return g.define(hint, "\"[\" " + sp + " " + seq(body, "\"]\""));
    }

    private String chain(List<String> positional, int j, String rest, int min, int max, String sp) {
        if (j == positional.size()) {
            if (rest == null) {
                return "";
            }
            int k = positional.size();
            int minRest = Math.max(0, min - k);
            int maxRest = max < 0 ? -1 : max - k;
            if (k > 0) {
                return PatternGrammar.repeat("\",\" " + sp + " " + rest, minRest, maxRest);
            }
            if (maxRest == 0) {
                return "";
            }
            String tail = PatternGrammar.repeat("\",\" " + sp + " " + rest, Math.max(0, minRest - 1),
                    maxRest < 0 ? -1 : maxRest - 1);
            String list = seq(rest, maxRest == 1 ? "" : tail);
            return minRest == 0 ? "(" + list + ")?" : list;
        }
        String elem = (j > 0 ? "\",\" " + sp + " " : "") + positional.get(j);
        String next = chain(positional, j + 1, rest, min, max, sp);
        String both = seq(elem, next);
        return j < min ? both : "(" + both + ")?";
    }

    private static int count(ObjectNode s, String key, String path, int fallback) {
        JsonNode v = s.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber() || v.decimalValue().stripTrailingZeros().scale() > 0 || v.decimalValue().signum() < 0) {
            throw new SchemaException(path, "\"" + key + "\" must be a non-negative integer");
        }
        return v.decimalValue().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0 ? Integer.MAX_VALUE : v.intValue();
    }

    // ---- strings ----

    private String string(ObjectNode s, String path, String hint) {
        int min = count(s, "minLength", path, 0);
        int max = count(s, "maxLength", path, -1);
        if (max >= 0 && max < min) {
            throw new SchemaException(path, "\"maxLength\" is below \"minLength\"");
        }
        if (min > MAX_LENGTH) {
            throw new SchemaException(path, "\"minLength\" above " + MAX_LENGTH + " is not supported");
        }
        if (max > MAX_LENGTH) {
            max = MAX_LENGTH;
        }
        boolean lengths = s.has("minLength") || s.has("maxLength");
        JsonNode format = s.get("format");
        if (format != null) {
            if (!format.isTextual()) {
                throw new SchemaException(path, "\"format\" must be a string");
            }
            String f = StringFormats.grammar(format.textValue(), path);
            if (f != null) {
                if (lengths || s.has("pattern")) {
                    throw new SchemaException(path, "\"format\" together with \"pattern\", \"minLength\" or"
                            + " \"maxLength\" is not supported");
                }
                return g.define(format.textValue(), "\"\\\"\" " + f + " \"\\\"\"");
            }
        }
        JsonNode pattern = s.get("pattern");
        if (pattern != null) {
            if (!pattern.isTextual()) {
                throw new SchemaException(path, "\"pattern\" must be a string");
            }
            if (lengths) {
                throw new SchemaException(path, "\"pattern\" together with \"minLength\" or \"maxLength\" is not"
                        + " supported");
            }
            String body = PatternGrammar.gbnf(pattern.textValue(), path);
            return g.define(hint, "\"\\\"\" " + g.define(hint + "-pattern", body) + " \"\\\"\"");
        }
        if (!lengths) {
            return anyString();
        }
        return g.define(hint, "\"\\\"\" " + PatternGrammar.repeat(jsonChar(), min, max) + " \"\\\"\"");
    }

    // ---- numbers ----

    private String integer(ObjectNode s, String path, String hint) {
        BigDecimal[] b = bounds(s, path);
        if (b[0] == null && b[1] == null && b[2] == null && b[3] == null) {
            return g.define("integer", NumberGrammar.UNBOUNDED_INTEGER);
        }
        Long min = null;
        Long max = null;
        if (b[0] != null) {
            min = clamp(b[0].setScale(0, RoundingMode.CEILING));
        }
        if (b[1] != null) {
            long ex = clamp(b[1].setScale(0, RoundingMode.FLOOR)) + 1;
            min = min == null ? ex : Math.max(min, ex);
        }
        if (b[2] != null) {
            max = clamp(b[2].setScale(0, RoundingMode.FLOOR));
        }
        if (b[3] != null) {
            long ex = clamp(b[3].setScale(0, RoundingMode.CEILING)) - 1;
            max = max == null ? ex : Math.min(max, ex);
        }
        if (min != null && max != null && min > max) {
            throw new SchemaException(path, "no integer lies within the bounds");
        }
        return g.define(hint, NumberGrammar.integer(min, max));
    }

    private String number(ObjectNode s, String path, String hint) {
        BigDecimal[] b = bounds(s, path);
        if (b[0] == null && b[1] == null && b[2] == null && b[3] == null) {
            return g.define("number", NumberGrammar.UNBOUNDED_NUMBER);
        }
        for (BigDecimal v : b) {
            if (v != null && v.stripTrailingZeros().scale() > 0) {
                throw new SchemaException(path, "bounds of a \"number\" must be whole numbers for constrained output"
                        + " (got " + v.toPlainString() + "); use whole-number bounds or \"integer\"");
            }
        }
        Long min = null;
        boolean minEx = false;
        if (b[0] != null) {
            min = clamp(b[0]);
        }
        if (b[1] != null && (min == null || clamp(b[1]) >= min)) {
            min = clamp(b[1]);
            minEx = true;
        }
        Long max = null;
        boolean maxEx = false;
        if (b[2] != null) {
            max = clamp(b[2]);
        }
        if (b[3] != null && (max == null || clamp(b[3]) <= max)) {
            max = clamp(b[3]);
            maxEx = true;
        }
        if (min != null && max != null && (min > max || min.equals(max) && (minEx || maxEx))) {
            throw new SchemaException(path, "no number lies within the bounds");
        }
        String body = NumberGrammar.number(min, minEx, max, maxEx);
        if (body.isEmpty()) {
            throw new SchemaException(path, "no number lies within the bounds");
        }
        return g.define(hint, body);
    }

    /** minimum, exclusiveMinimum, maximum, exclusiveMaximum (draft-4 boolean exclusives folded in). */
    private static BigDecimal[] bounds(ObjectNode s, String path) {
        BigDecimal[] out = new BigDecimal[4];
        String[] keys = {"minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"};
        for (int i = 0; i < 4; i++) {
            JsonNode v = s.get(keys[i]);
            if (v == null || v.isBoolean()) {
                continue;
            }
            if (!v.isNumber()) {
                throw new SchemaException(path, "\"" + keys[i] + "\" must be a number");
            }
            out[i] = v.decimalValue();
        }
        if (s.path("exclusiveMinimum").asBoolean(false) && out[0] != null) {
            out[1] = out[0];
            out[0] = null;
        }
        if (s.path("exclusiveMaximum").asBoolean(false) && out[2] != null) {
            out[3] = out[2];
            out[2] = null;
        }
        return out;
    }

    private static long clamp(BigDecimal v) {
        BigDecimal cap = BigDecimal.valueOf(NumberGrammar.CAP);
        if (v.compareTo(cap) > 0) {
            return NumberGrammar.CAP;
        }
        if (v.compareTo(cap.negate()) < 0) {
            return -NumberGrammar.CAP;
        }
        return v.longValueExact();
    }

    // ---- literals ----

    private static String literal(JsonNode v) {
        return GbnfBuilder.literal(jsonText(v));
    }

    private static String jsonText(JsonNode v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jsonText(String s) {
        return jsonText(NODES.textNode(s));
    }

    private static ArrayNode arrayOf(ObjectNode s, String key, String path) {
        JsonNode v = s.get(key);
        if (!(v instanceof ArrayNode a)) {
            throw new SchemaException(path, "\"" + key + "\" must be an array");
        }
        return a;
    }
}
