package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.llamabox.testkit.model.SpecialTokens;
import io.llamabox.testkit.model.TestModels;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Grammar-constrained output on a vocabulary with byte-fallback tokens ({@code <0xC0>}...) is valid UTF-8:
 * llama.cpp's grammar decodes byte tokens into code points without refusing overlong forms, surrogates or
 * values past U+10FFFF, so JSON strings used to carry U+FFFD. The test pushes every non-ASCII byte token
 * up with a logit bias, so that a guard that let any ill-formed sequence through would be caught.
 */
class ConstrainedUtf8Test {
    @Test
    void jsonSchemaAndGrammarOutputOnAByteFallbackVocabularyIsValidUtf8() throws Exception {
        StringBuilder bias = new StringBuilder("{");
        for (int b = 0x80; b <= 0xFF; b++) {
            bias.append(b == 0x80 ? "" : ",").append('"').append(SpecialTokens.FIRST_BYTE + b).append("\":8");
        }
        bias.append('}');
        try (RunningBox box = new RunningBox("-m", TestModels.llama().toString(), "-c", "1024", "-np", "1")) {
            for (long seed = 1; seed <= 6; seed++) {
                String common = ",\"n_predict\":120,\"temperature\":1.0,\"seed\":" + seed + ",\"logit_bias\":" + bias;
                HttpResponse<String> schema = box.post("/completion", "{\"prompt\":\"Name:\",\"json_schema\":"
                        + "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},\"required\":[\"name\"]}"
                        + common + "}");
                check(schema, "json_schema seed " + seed);
                HttpResponse<String> grammar = box.post("/completion", "{\"prompt\":\"Say:\",\"grammar\":"
                        + "\"root ::= [^\\\\x00-\\\\x1F]+\"" + common + "}");
                check(grammar, "grammar seed " + seed);
            }
        }
    }

    private static void check(HttpResponse<String> r, String where) {
        assertEquals(200, r.statusCode(), where + ": " + r.body());
        JsonNode body = JsonSchemas.parse(r.body(), where);
        String content = body.get("content").asText();
        assertFalse(content.indexOf('\uFFFD') >= 0, where + ": U+FFFD in " + content);
    }
}
