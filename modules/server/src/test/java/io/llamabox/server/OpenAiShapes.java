package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * OpenAI's chat response shapes as JSON Schema documents written from the public API reference
 * ({@code openai/*.schema.json}), checked with a real validator.
 */
final class OpenAiShapes {
    private static final JsonSchema COMPLETION = load("chat.completion.schema.json");
    private static final JsonSchema CHUNK = load("chat.completion.chunk.schema.json");

    private OpenAiShapes() {
    }

    private static JsonSchema load(String name) {
        try (InputStream in = OpenAiShapes.class.getResourceAsStream("openai/" + name)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(TestServer.JSON.readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }

    static void assertCompletion(JsonNode body) {
        Set<ValidationMessage> errors = COMPLETION.validate(body);
        assertTrue(errors.isEmpty(), "not an OpenAI chat.completion: " + errors + "\n" + body);
    }

    static void assertChunk(JsonNode chunk) {
        Set<ValidationMessage> errors = CHUNK.validate(chunk);
        assertTrue(errors.isEmpty(), "not an OpenAI chat.completion.chunk: " + errors + "\n" + chunk);
    }
}
