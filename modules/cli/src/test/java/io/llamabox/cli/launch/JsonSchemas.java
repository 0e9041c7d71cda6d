package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Checks values against JSON schemas with a real validator (networknt, draft 2020-12, formats asserted). */
final class JsonSchemas {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).build();

    private JsonSchemas() {
    }

    static void assertValid(JsonNode schema, JsonNode value, String what) {
        Set<ValidationMessage> errors = FACTORY.getSchema(schema, CONFIG).validate(value);
        assertTrue(errors.isEmpty(), what + ": " + value + " is not valid for " + schema + ": " + errors);
    }

    static JsonNode parse(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(what + ": not JSON: " + text, e);
        }
    }

    /** The chunks of an OpenAI event stream, which must end with {@code [DONE]}. */
    static List<JsonNode> chunks(String sse) {
        List<JsonNode> out = new ArrayList<>();
        boolean done = false;
        for (String line : sse.split("\n")) {
            if (line.equals("data: [DONE]")) {
                done = true;
            } else if (line.startsWith("data: ")) {
                out.add(parse(line.substring(6), "chunk"));
            }
        }
        assertTrue(done, "the stream ends with [DONE]: " + sse);
        return out;
    }
}
