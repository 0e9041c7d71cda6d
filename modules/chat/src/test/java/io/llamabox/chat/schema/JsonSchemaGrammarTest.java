package io.llamabox.chat.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parts of the schema grammars that can be checked without a model: integer and number bounds
 * exhaustively, patterns against Java's regex engine, and the refusals. Decoding with the grammars is
 * checked end to end in the command line module's tests.
 */
class JsonSchemaGrammarTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void integerRangesAcceptExactlyTheirValues() {
        long[][] ranges = {{0, 0}, {0, 9}, {1, 9}, {13, 250}, {-5, 5}, {-250, -13}, {7, 7}, {100, 999}, {99, 1000},
                {-1, 0}, {0, 100_000}, {-1024, 1023}, {19, 91}, {5, 5000}};
        for (long[] r : ranges) {
            Pattern p = GbnfRegex.of(NumberGrammar.integer(r[0], r[1]));
            for (long v = r[0] - 120; v <= r[1] + 120; v++) {
                assertEquals(v >= r[0] && v <= r[1], p.matcher(Long.toString(v)).matches(), r[0] + ".." + r[1] + ": " + v);
            }
            assertTrue(!p.matcher("-0").matches() && !p.matcher("007").matches(), "canonical only: " + p);
        }
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            long a = random.nextLong(-2_000_000, 2_000_000);
            long b = a + random.nextLong(0, 3_000_000);
            Pattern p = GbnfRegex.of(NumberGrammar.integer(a, b));
            for (int k = 0; k < 200; k++) {
                long v = random.nextBoolean() ? random.nextLong(a - 10, b + 11)
                        : (random.nextBoolean() ? a : b) + random.nextLong(-3, 4);
                assertEquals(v >= a && v <= b, p.matcher(Long.toString(v)).matches(), a + ".." + b + ": " + v);
            }
        }
    }

    @Test
    void halfOpenIntegerRangesReachFarButStayCanonical() {
        Pattern atLeast = GbnfRegex.of(NumberGrammar.integer(42L, null));
        assertTrue(atLeast.matcher("42").matches() && atLeast.matcher("1234567890123").matches());
        assertTrue(!atLeast.matcher("41").matches() && !atLeast.matcher("-50").matches());
        Pattern atMost = GbnfRegex.of(NumberGrammar.integer(null, -3L));
        assertTrue(atMost.matcher("-3").matches() && atMost.matcher("-99999999").matches());
        assertTrue(!atMost.matcher("-2").matches() && !atMost.matcher("0").matches());
    }

    @Test
    void numbersBetweenWholeBoundsAcceptExactlyTheirValues() {
        Object[][] cases = {
                {0L, false, 1L, false}, {0L, true, null, false}, {-10L, false, 10L, true}, {-3L, true, -1L, false},
                {null, false, 0L, true}, {5L, false, 5L, false}, {-2L, false, 250L, false}};
        String[] samples = {"0", "0.0", "0.5", "1", "1.0", "1.01", "-0.5", "-1", "-1.5", "-3", "-3.0", "-2.999", "-10",
                "-10.0", "-10.01", "9.99", "10", "10.0", "5", "5.0", "5.01", "4.99", "250", "250.0", "250.5", "-2",
                "-2.01", "0.001", "-0.001", "2.5", "100.25"};
        for (Object[] c : cases) {
            Long min = (Long) c[0];
            Long max = (Long) c[2];
            boolean minEx = (Boolean) c[1];
            boolean maxEx = (Boolean) c[3];
            Pattern p = GbnfRegex.of(NumberGrammar.number(min, minEx, max, maxEx));
            for (String s : samples) {
                BigDecimal v = new BigDecimal(s);
                boolean ok = (min == null || (minEx ? v.compareTo(BigDecimal.valueOf(min)) > 0 : v.compareTo(BigDecimal.valueOf(min)) >= 0))
                        && (max == null || (maxEx ? v.compareTo(BigDecimal.valueOf(max)) < 0 : v.compareTo(BigDecimal.valueOf(max)) <= 0));
                assertEquals(ok, p.matcher(s).matches(), java.util.Arrays.toString(c) + ": " + s + " with " + p);
            }
        }
    }

    @Test
    void patternsMatchWhatJavaRegexMatches() throws Exception {
        record Case(String pattern, List<String> strings) {
        }
        List<Case> cases = List.of(
                new Case("^[A-Z]{3}-\\d{2,4}$", List.of("ABC-12", "ABC-1234", "AB-12", "ABC-12345", "abc-12")),
                new Case("^(foo|ba[rz])+$", List.of("foo", "barbaz", "foobar", "fo", "", "bax")),
                new Case("^\\w+@\\w+\\.(com|org)$", List.of("a@b.com", "x_1@y.org", "a@b.net", "@b.com")),
                new Case("^[^\"\\\\]*$", List.of("plain", "with \"quote\"", "back\\slash", "")),
                new Case("^a.c$", List.of("abc", "a\"c", "a\nc", "ac", "a\\c")),
                new Case("^(?:\\+|-)?\\d+(\\.\\d+)?$", List.of("+1.5", "-2", "3.", "4.25", "x")),
                new Case("^[\\s\\S]{2}$", List.of("\n\t", "ab", "a", "abc")),
                new Case("^colou?r$", List.of("color", "colour", "colouur")),
                new Case("^[a-f0-9]{1,3}(:[a-f0-9]{1,3})*$", List.of("a:b:c", "abc", "abcd", "a::b")),
                new Case("^\\u00e9t[ée]$", List.of("été", "éte", "ete")),
                new Case("^x{2,}y?$", List.of("xx", "xxxxy", "xy", "xxyy")),
                new Case("^[\\]\\-]+$", List.of("]-]", "-", "a")));
        for (Case c : cases) {
            Pattern ours = GbnfRegex.of(PatternGrammar.gbnf(c.pattern(), "#"));
            Pattern java = Pattern.compile(c.pattern());
            for (String s : c.strings()) {
                String encoded = JSON.writeValueAsString(s);
                encoded = encoded.substring(1, encoded.length() - 1);
                assertEquals(java.matcher(s).matches(), ours.matcher(encoded).matches(),
                        c.pattern() + " on " + encoded + " via " + ours);
            }
        }
    }

    @Test
    void unsupportedFeaturesAreRefusedNamingTheProblemAndThePlace() {
        record Refusal(String schema, String at, String says) {
        }
        List<Refusal> refusals = List.of(
                new Refusal("{\"not\": {\"type\": \"string\"}}", "#", "\"not\""),
                new Refusal("{\"type\": \"array\", \"uniqueItems\": true}", "#", "uniqueItems"),
                new Refusal("{\"properties\": {\"n\": {\"type\": \"number\", \"multipleOf\": 3}}}", "#/properties/n", "multipleOf"),
                new Refusal("{\"type\": \"string\", \"pattern\": \"^(?=a)b$\"}", "#", "lookaround"),
                new Refusal("{\"type\": \"string\", \"pattern\": \"(a)\\\\1\"}", "#", "backreferences"),
                new Refusal("{\"type\": \"string\", \"pattern\": \"\\\\bword\"}", "#", "word boundaries"),
                new Refusal("{\"type\": \"string\", \"pattern\": \"\\\\p{L}+\"}", "#", "Unicode property"),
                new Refusal("{\"type\": \"string\", \"pattern\": \"[a-\"}", "#", "missing ']'"),
                new Refusal("{\"type\": \"string\", \"pattern\": \"a{5,2}\"}", "#", "max below min"),
                new Refusal("{\"type\": \"number\", \"minimum\": 0.5}", "#", "whole numbers"),
                new Refusal("{\"type\": \"integer\", \"minimum\": 5, \"maximum\": 4}", "#", "no integer"),
                new Refusal("{\"$ref\": \"https://example.com/schema.json\"}", "#", "only local references"),
                new Refusal("{\"$ref\": \"#/$defs/missing\"}", "#", "does not resolve"),
                new Refusal("{\"type\": \"strng\"}", "#", "unknown type"),
                new Refusal("{\"properties\": {\"a\": false}, \"required\": [\"a\"]}", "#/properties/a", "false"),
                new Refusal("{\"type\": \"string\", \"format\": \"uri-template\"}", "#", "uri-template"),
                new Refusal("{\"type\": \"object\", \"required\": [\"x\"], \"additionalProperties\": false}", "#", "\"x\""),
                new Refusal("{\"allOf\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}", "#", "no type in common"),
                new Refusal("{\"type\": \"object\", \"patternProperties\": {\"^x\": {}}}", "#", "patternProperties"),
                new Refusal("{\"if\": {\"type\": \"string\"}, \"then\": {\"minLength\": 2}}", "#", "conditional"),
                new Refusal("{\"enum\": [1, 2], \"type\": \"string\"}", "#", "enum"));
        for (Refusal r : refusals) {
            SchemaException e = assertThrows(SchemaException.class, () -> JsonSchemaGrammar.gbnf(json(r.schema())), r.schema());
            assertEquals(r.at(), e.location(), r.schema() + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(r.says()), r.schema() + ": " + e.getMessage());
        }
    }

    @Test
    void grammarsAreWellFormedAndShareRules() {
        String g = JsonSchemaGrammar.gbnf(json("""
                {"type": "object", "properties": {"a": {"$ref": "#/$defs/pt"}, "b": {"$ref": "#/$defs/pt"},
                 "tree": {"$ref": "#/$defs/node"}},
                 "$defs": {"pt": {"type": "object", "properties": {"x": {"type": "integer"}}, "required": ["x"]},
                           "node": {"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/node"},
                                    "maxItems": 2}}}}}"""));
        assertTrue(g.startsWith("root ::= "), g);
        long ptRules = g.lines().filter(l -> l.startsWith("pt ::=")).count();
        assertEquals(1, ptRules, g);
        for (String line : g.lines().toList()) {
            assertTrue(line.matches("[a-zA-Z0-9-]+ ::= .+"), line);
        }
        String any = JsonSchemaGrammar.anyObject();
        assertTrue(any.contains("value") && any.startsWith("root ::= object"), any);
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
