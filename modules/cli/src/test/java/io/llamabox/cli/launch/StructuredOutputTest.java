package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llamabox.testkit.model.TestModels;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Constrained output through the whole server on a random-weight model, whose unconstrained output is
 * gibberish: an answer that parses and validates can only come from the grammar. Every schema is asked
 * with several seeds; each answer must end by itself (not at the token limit), parse as JSON and pass a
 * real JSON Schema validator with format assertions on.
 */
class StructuredOutputTest {
    private static final long[] SEEDS = {11, 22, 33};
    private static final int MAX_TOKENS = 600;

    /** Strings are bounded where random weights would otherwise write them for ever. */
    static final List<String> SCHEMAS = List.of(
            """
            {"type": "object", "properties": {"name": {"type": "string", "maxLength": 12},
             "age": {"type": "integer", "minimum": 0, "maximum": 120}}, "required": ["name", "age"],
             "additionalProperties": false}""",
            "{\"type\": \"string\", \"enum\": [\"red\", \"green\", \"blue\"]}",
            "{\"const\": {\"version\": 2, \"ok\": true, \"tags\": [\"a\", null]}}",
            "{\"type\": \"boolean\"}",
            "{\"type\": [\"integer\", \"null\"]}",
            "{\"type\": \"integer\", \"minimum\": -50, \"maximum\": -7}",
            "{\"type\": \"integer\", \"exclusiveMinimum\": 0, \"exclusiveMaximum\": 10}",
            "{\"type\": \"integer\", \"minimum\": 1000000, \"maximum\": 99999999}",
            "{\"type\": \"number\", \"minimum\": 0, \"maximum\": 1}",
            "{\"type\": \"number\", \"exclusiveMinimum\": 0}",
            "{\"type\": \"number\", \"minimum\": -3, \"exclusiveMaximum\": 2}",
            "{\"type\": \"number\"}",
            """
            {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 6}, "minItems": 2,
             "maxItems": 4}""",
            "{\"type\": \"array\", \"items\": {\"enum\": [\"a\", \"b\", 3]}}",
            """
            {"type": "array", "prefixItems": [{"type": "string", "maxLength": 4},
             {"type": "integer", "minimum": 0, "maximum": 99}, {"type": "boolean"}], "items": false, "minItems": 2}""",
            """
            {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "boolean"},
             "c": {"type": "string", "maxLength": 5}}, "required": ["b"]}""",
            "{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"integer\"}, \"y\": {\"type\": \"integer\"}}}",
            """
            {"type": "object", "properties": {"id": {"type": "integer", "minimum": 1}}, "required": ["id"],
             "additionalProperties": {"type": "boolean"}}""",
            """
            {"type": "object", "properties": {"user": {"type": "object", "properties": {
              "email": {"type": "string", "format": "email"},
              "address": {"type": "object", "properties": {"zip": {"type": "string", "pattern": "^[0-9]{5}$"},
               "country": {"enum": ["FR", "DE", "JP"]}}, "required": ["zip", "country"], "additionalProperties": false}},
             "required": ["email", "address"], "additionalProperties": false}}, "required": ["user"],
             "additionalProperties": false}""",
            """
            {"anyOf": [{"type": "integer", "minimum": 0, "maximum": 9}, {"type": "string", "enum": ["none"]},
             {"type": "null"}]}""",
            """
            {"oneOf": [{"type": "object", "properties": {"kind": {"const": "circle"},
               "r": {"type": "integer", "minimum": 1, "maximum": 9}}, "required": ["kind", "r"], "additionalProperties": false},
             {"type": "object", "properties": {"kind": {"const": "square"},
               "side": {"type": "integer", "minimum": 1, "maximum": 9}}, "required": ["kind", "side"],
               "additionalProperties": false}]}""",
            """
            {"allOf": [{"type": "object", "properties": {"a": {"type": "integer", "minimum": 0}}, "required": ["a"]},
             {"properties": {"a": {"maximum": 5}, "b": {"type": "boolean"}}, "required": ["b"]}]}""",
            """
            {"type": "object", "properties": {"from": {"$ref": "#/$defs/point"}, "to": {"$ref": "#/$defs/point"}},
             "required": ["from", "to"], "additionalProperties": false,
             "$defs": {"point": {"type": "object", "properties": {"x": {"type": "integer", "minimum": -9, "maximum": 9},
               "y": {"type": "integer", "minimum": -9, "maximum": 9}}, "required": ["x", "y"], "additionalProperties": false}}}""",
            """
            {"$ref": "#/$defs/node", "$defs": {"node": {"type": "object", "properties": {
              "v": {"type": "integer", "minimum": 0, "maximum": 9},
              "kids": {"type": "array", "items": {"$ref": "#/$defs/node"}, "maxItems": 2}},
              "required": ["v"], "additionalProperties": false}}}""",
            """
            {"type": "object", "properties": {"p": {"$ref": "#/definitions/pos", "description": "where"}},
             "required": ["p"], "definitions": {"pos": {"type": "integer", "minimum": 1, "maximum": 3}}}""",
            "{\"type\": \"string\", \"minLength\": 3, \"maxLength\": 8}",
            "{\"type\": \"string\", \"pattern\": \"^[A-Z]{2}-[0-9]{3}$\"}",
            "{\"type\": \"string\", \"pattern\": \"^(cat|dog)s?( [0-9]{1,2})?$\"}",
            "{\"type\": \"string\", \"pattern\": \"^\\\"[a-z]{1,4}\\\\\\\\?\\\"$\"}",
            "{\"type\": \"string\", \"format\": \"date\"}",
            "{\"type\": \"string\", \"format\": \"time\"}",
            "{\"type\": \"string\", \"format\": \"date-time\"}",
            "{\"type\": \"string\", \"format\": \"uuid\"}",
            "{\"type\": \"string\", \"format\": \"email\"}",
            "{\"type\": \"string\", \"format\": \"ipv4\"}",
            "{\"type\": \"string\", \"format\": \"ipv6\"}",
            "{\"type\": \"string\", \"format\": \"hostname\"}",
            "{\"type\": \"string\", \"format\": \"uri\"}",
            """
            {"type": "object", "properties": {"note": {"type": ["string", "null"], "maxLength": 6}},
             "required": ["note"], "additionalProperties": false}""",
            "{\"type\": \"object\", \"properties\": {}, \"additionalProperties\": false}",
            "{\"enum\": [1, \"two\", null, true, {\"x\": [1.5]}]}",
            """
            {"type": "object", "properties": {"steps": {"type": "array", "minItems": 1, "maxItems": 3, "items": {
              "type": "object", "properties": {"explanation": {"type": "string", "maxLength": 10},
              "output": {"type": "string", "maxLength": 6}}, "required": ["explanation", "output"],
              "additionalProperties": false}}, "final_answer": {"type": "string", "maxLength": 8}},
             "required": ["steps", "final_answer"], "additionalProperties": false}""",
            """
            {"type": "object", "properties": {"status": {"type": "string", "enum": ["open", "closed"]},
             "count": {"type": "integer", "minimum": 0, "maximum": 1000}, "ratio": {"type": "number", "minimum": 0,
             "maximum": 100}, "flags": {"type": "array", "items": {"type": "boolean"}, "maxItems": 3},
             "when": {"type": "string", "format": "date-time"}}, "required": ["status", "count", "ratio", "flags", "when"],
             "additionalProperties": false}""");

    private static RunningBox box;

    @BeforeAll
    static void start() {
        box = new RunningBox("-m", TestModels.llama().toString(), "-c", "8192", "-np", "4");
    }

    @AfterAll
    static void stop() {
        box.close();
    }

    private static String body(String responseFormat, long seed, boolean stream) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"Answer in JSON.\"}],\"response_format\":" + responseFormat
                + ",\"seed\":" + seed + ",\"temperature\":1.0,\"max_tokens\":" + MAX_TOKENS
                + (stream ? ",\"stream\":true" : "") + "}";
    }

    private static String jsonSchema(String schema) {
        return "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"answer\",\"strict\":true,\"schema\":" + schema + "}}";
    }

    @Test
    void everyAnswerParsesAndValidatesForEverySchemaAndSeed() throws Exception {
        assertTrue(SCHEMAS.size() >= 30);
        List<Future<String>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (String schema : SCHEMAS) {
                for (long seed : SEEDS) {
                    answers.add(pool.submit(() -> {
                        HttpResponse<String> r = box.post("/v1/chat/completions", body(jsonSchema(schema), seed, false));
                        assertEquals(200, r.statusCode(), schema + " -> " + r.body());
                        JsonNode res = JsonSchemas.parse(r.body(), "response");
                        assertEquals("stop", res.at("/choices/0/finish_reason").asText(), "ended by itself: " + r.body());
                        String content = res.at("/choices/0/message/content").asText();
                        JsonSchemas.assertValid(JsonSchemas.parse(schema, "schema"), JsonSchemas.parse(content,
                                "answer for " + schema + " seed " + seed), "seed " + seed);
                        return content;
                    }));
                }
            }
            List<String> distinct = new ArrayList<>();
            for (Future<String> f : answers) {
                String a = f.get();
                if (!distinct.contains(a)) {
                    distinct.add(a);
                }
            }
            assertTrue(distinct.size() > SCHEMAS.size(), "seeds give different answers: " + distinct.size());
        }
    }

    @Test
    void streamedAnswersAddUpToValidJson() throws Exception {
        for (String schema : List.of(SCHEMAS.get(0), SCHEMAS.get(18), SCHEMAS.get(23))) {
            HttpResponse<String> r = box.post("/v1/chat/completions", body(jsonSchema(schema), 5, true));
            assertEquals(200, r.statusCode(), r.body());
            StringBuilder content = new StringBuilder();
            String finish = null;
            for (JsonNode chunk : JsonSchemas.chunks(r.body())) {
                JsonNode c = chunk.at("/choices/0/delta/content");
                if (c.isTextual()) {
                    content.append(c.asText());
                }
                if (chunk.at("/choices/0/finish_reason").isTextual()) {
                    finish = chunk.at("/choices/0/finish_reason").asText();
                }
            }
            assertEquals("stop", finish);
            JsonSchemas.assertValid(JsonSchemas.parse(schema, "schema"), JsonSchemas.parse(content.toString(), "stream"),
                    "streamed");
        }
    }

    @Test
    void aRawGrammarAndLlamaCppsJsonSchemaFieldConstrainToo() throws Exception {
        for (long seed : SEEDS) {
            String grammar = "{\"messages\":[{\"role\":\"user\",\"content\":\"?\"}],\"seed\":" + seed
                    + ",\"temperature\":1.0,\"max_tokens\":50,\"grammar\":\"root ::= (\\\"yes\\\" | \\\"no\\\") \\\"!\\\"\"}";
            String content = JsonSchemas.parse(box.post("/v1/chat/completions", grammar).body(), "response")
                    .at("/choices/0/message/content").asText();
            assertTrue(content.equals("yes!") || content.equals("no!"), content);

            String schema = "{\"type\":\"integer\",\"minimum\":-5,\"maximum\":5}";
            String field = "{\"messages\":[{\"role\":\"user\",\"content\":\"?\"}],\"seed\":" + seed
                    + ",\"temperature\":1.0,\"max_tokens\":50,\"json_schema\":" + schema + "}";
            JsonNode answer = JsonSchemas.parse(JsonSchemas.parse(box.post("/v1/chat/completions", field).body(), "r")
                    .at("/choices/0/message/content").asText(), "answer");
            JsonSchemas.assertValid(JsonSchemas.parse(schema, "schema"), answer, "json_schema field");

            String completion = "{\"prompt\":\"Number:\",\"seed\":" + seed + ",\"temperature\":1.0,\"n_predict\":50,"
                    + "\"json_schema\":" + schema + "}";
            JsonNode text = JsonSchemas.parse(JsonSchemas.parse(box.post("/completion", completion).body(), "r")
                    .get("content").asText(), "completion");
            JsonSchemas.assertValid(JsonSchemas.parse(schema, "schema"), text, "/completion json_schema");
        }
    }

    @Test
    void grammarsTheModelCannotUseAre400() throws Exception {
        String bad = "{\"messages\":[{\"role\":\"user\",\"content\":\"?\"}],\"grammar\":\"root ::= nowhere\"}";
        HttpResponse<String> r = box.post("/v1/chat/completions", bad);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("grammar"), r.body());
        ObjectNode unsupported = (ObjectNode) JsonSchemas.parse("{\"messages\":[{\"role\":\"user\",\"content\":\"?\"}]}", "b");
        unsupported.set("response_format", JsonSchemas.parse(jsonSchema(
                "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"number\",\"minimum\":0.5}}}"), "rf"));
        HttpResponse<String> u = box.post("/v1/chat/completions", unsupported.toString());
        assertEquals(400, u.statusCode(), u.body());
        assertTrue(u.body().contains("#/properties/n") && u.body().contains("whole numbers"), u.body());
    }

    @Test
    void aJsonSchemaFlagThatCannotConstrainStopsTheStart() {
        IllegalArgumentException unsupported = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RuntimeSettings.sampling(Main.settings(new String[] {"-m", "m.gguf", "-j", "{\"not\": {}}"}).sampling()));
        assertTrue(unsupported.getMessage().contains("--json-schema") && unsupported.getMessage().contains("\"not\""),
                unsupported.getMessage());
        IllegalArgumentException notJson = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RuntimeSettings.sampling(Main.settings(new String[] {"-m", "m.gguf", "-j", "{oops"}).sampling()));
        assertTrue(notJson.getMessage().contains("not valid JSON"), notJson.getMessage());
        assertTrue(RuntimeSettings.sampling(Main.settings(new String[] {"-m", "m.gguf", "-j", "{}"}).sampling()).grammar()
                .startsWith("root ::= "));
    }

    @Test
    void theCommandLinesJsonSchemaIsTheDefault() throws Exception {
        String schema = "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\",\"minimum\":10,\"maximum\":99}},"
                + "\"required\":[\"n\"],\"additionalProperties\":false}";
        try (RunningBox j = new RunningBox("-m", TestModels.llama().toString(), "-c", "512", "-np", "1", "-j", schema)) {
            for (long seed : SEEDS) {
                String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"?\"}],\"seed\":" + seed
                        + ",\"temperature\":1.0,\"max_tokens\":60}";
                JsonNode res = JsonSchemas.parse(j.post("/v1/chat/completions", body).body(), "response");
                JsonSchemas.assertValid(JsonSchemas.parse(schema, "schema"),
                        JsonSchemas.parse(res.at("/choices/0/message/content").asText(), "answer"), "-j default");
            }
        }
    }
}
