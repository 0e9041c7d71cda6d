package io.llamabox.chat.schema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * JSON Schema to GBNF, for constrained decoding of structured output ({@code response_format},
 * {@code --json-schema}) and of tool-call arguments.
 *
 * <p>Supported: {@code type} (also lists, and OpenAPI's {@code nullable}), {@code enum}, {@code const},
 * objects with {@code properties}, {@code required} and {@code additionalProperties} (false, true or a
 * schema; when absent, only the declared properties are written), arrays with {@code items},
 * {@code prefixItems}, {@code minItems} and {@code maxItems}, {@code anyOf}, {@code oneOf} (as a choice of
 * branches), {@code allOf} (merged), local {@code $ref} into {@code $defs}/{@code definitions} (recursion
 * included), strings with {@code minLength}, {@code maxLength}, {@code pattern} (see
 * {@link PatternGrammar}) and the formats date, time, date-time, uuid, email, hostname, ipv4, ipv6 and uri,
 * integers with any bounds and numbers with whole-number bounds. Whatever the grammar lets through is
 * valid for the schema; features it cannot guarantee ({@code not}, {@code uniqueItems},
 * {@code multipleOf}, {@code patternProperties}, conditionals...) are refused with a
 * {@link SchemaException}.
 *
 * <pre>{@code
 * String gbnf = JsonSchemaGrammar.gbnf(schema);          // root: one JSON value valid for the schema
 * GbnfBuilder g = new GbnfBuilder();
 * String args = JsonSchemaGrammar.addRules(g, params, "args");   // a rule for use in a larger grammar
 * }</pre>
 */
public final class JsonSchemaGrammar {
    private JsonSchemaGrammar() {
    }

    /**
     * A grammar whose root is one JSON value valid for {@code schema}.
     *
     * @throws SchemaException when the schema is invalid or uses an unsupported feature
     */
    public static String gbnf(JsonNode schema) {
        GbnfBuilder g = new GbnfBuilder();
        g.root(addRules(g, schema, "value-root"));
        return g.build();
    }

    /** A grammar whose root is any JSON object ({@code response_format} {@code json_object}). */
    public static String anyObject() {
        GbnfBuilder g = new GbnfBuilder();
        g.root(new SchemaCompiler(g, null).anyObject());
        return g.build();
    }

    /**
     * Adds the rules of a schema to a grammar under construction and names the rule for one value of it.
     * References ({@code $ref}) resolve within {@code schema}.
     *
     * @throws SchemaException when the schema is invalid or uses an unsupported feature
     */
    public static String addRules(GbnfBuilder g, JsonNode schema, String hint) {
        return new SchemaCompiler(g, schema).rule(schema, "#", hint);
    }

    /** The rule for an optional single space (the separator the generated JSON uses) in {@code g}. */
    public static String space(GbnfBuilder g) {
        return new SchemaCompiler(g, null).space();
    }
}
