package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every invalid image request is a 400 in OpenAI's error shape whose message names the field, and none
 * reaches the engine.
 */
class ImagesValidationTest {
    private static final ScriptedImageEngine ENGINE = new ScriptedImageEngine();
    private static TestServer server;

    @BeforeAll
    static void start() {
        // at most 2 images of up to 1024x768
        server = TestServer.images(ENGINE, b -> b.imageLimits(new ServerConfig.ImageLimits(2, 1024, 768)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("{}", "\"prompt\""),
                Arguments.of("{\"prompt\":\"\"}", "\"prompt\""),
                Arguments.of("{\"prompt\":\"  \"}", "\"prompt\""),
                Arguments.of("{\"prompt\":5}", "\"prompt\""),
                Arguments.of("{\"prompt\":[\"cat\"]}", "\"prompt\""),
                Arguments.of(cat(",\"negative_prompt\":3"), "\"negative_prompt\""),
                Arguments.of(cat(",\"n\":0"), "\"n\""),
                Arguments.of(cat(",\"n\":3"), "\"n\""),
                Arguments.of(cat(",\"n\":\"2\""), "\"n\""),
                Arguments.of(cat(",\"n\":1.5"), "\"n\""),
                Arguments.of(cat(",\"size\":\"512\""), "\"size\""),
                Arguments.of(cat(",\"size\":\"512x512x3\""), "\"size\""),
                Arguments.of(cat(",\"size\":\"500x512\""), "\"size\""),
                Arguments.of(cat(",\"size\":\"512x200\""), "\"size\""),
                Arguments.of(cat(",\"size\":\"192x192\""), "\"size\""),
                Arguments.of(cat(",\"size\":\"1088x512\""), "\"size\""),
                Arguments.of(cat(",\"size\":\"512x832\""), "\"size\""),
                Arguments.of(cat(",\"size\":\"99999999999x512\""), "\"size\""),
                Arguments.of(cat(",\"size\":512"), "\"size\""),
                Arguments.of(cat(",\"quality\":\"ultra\""), "\"quality\""),
                Arguments.of(cat(",\"quality\":1"), "\"quality\""),
                Arguments.of(cat(",\"style\":\"bold\""), "\"style\""),
                Arguments.of(cat(",\"response_format\":\"png\""), "\"response_format\""),
                Arguments.of(cat(",\"response_format\":true"), "\"response_format\""),
                Arguments.of(cat(",\"seed\":\"x\""), "\"seed\""),
                Arguments.of(cat(",\"seed\":1.5"), "\"seed\""),
                Arguments.of(cat(",\"sample_method\":\"dpm3\""), "\"sample_method\""),
                Arguments.of(cat(",\"sampler\":\"dpm3\""), "\"sampler\""),
                Arguments.of(cat(",\"sampler\":7"), "\"sampler\""),
                Arguments.of(cat(",\"sampling_steps\":0"), "\"sampling_steps\""),
                Arguments.of(cat(",\"sample_steps\":-3"), "\"sample_steps\""),
                Arguments.of(cat(",\"sampling_steps\":\"20\""), "\"sampling_steps\""),
                Arguments.of(cat(",\"schedule_method\":\"linear\""), "\"schedule_method\""),
                Arguments.of(cat(",\"schedule\":\"linear\""), "\"schedule\""),
                Arguments.of(cat(",\"guidance\":\"high\""), "\"guidance\""),
                Arguments.of(cat(",\"cfg_scale\":true"), "\"cfg_scale\""),
                Arguments.of(cat(",\"lora\":\"style\""), "\"lora\""),
                Arguments.of(cat(",\"lora\":[{\"id\":7,\"scale\":1.0}]"), "\"lora[0].id\""),
                Arguments.of(cat(",\"lora\":[{\"id\":0,\"scale\":1.0},{\"id\":9,\"scale\":1.0}]"), "\"lora[1].id\""),
                Arguments.of(cat(",\"lora\":[{\"id\":0}]"), "\"lora[0].scale\""),
                Arguments.of(cat(",\"stream\":\"yes\""), "\"stream\""),
                Arguments.of(cat(",\"stream\":true,\"stream_options\":1"), "\"stream_options\""),
                Arguments.of(cat(",\"stream\":true,\"stream_options\":{\"include_usage\":\"y\"}"),
                        "\"stream_options.include_usage\""),
                Arguments.of(cat(",\"stream\":true,\"stream_options\":{\"chunk_result\":1}"),
                        "\"stream_options.chunk_result\""),
                Arguments.of(cat(",\"stream\":true,\"stream_options\":{\"chunk_size\":0}"),
                        "\"stream_options.chunk_size\""),
                Arguments.of(cat(",\"stream\":true,\"stream_options\":{\"preview\":\"on\"}"),
                        "\"stream_options.preview\""),
                Arguments.of(cat(",\"stream\":true,\"stream_options\":{\"preview_faster\":0}"),
                        "\"stream_options.preview_faster\""),
                Arguments.of(cat(",\"model\":3"), "\"model\""));
    }

    private static String cat(String fields) {
        return "{\"prompt\":\"A lovely cat\"" + fields + "}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void anInvalidFieldIsA400NamingIt(String body, String field) throws Exception {
        int before = ENGINE.requests.size();
        HttpResponse<String> r = server.post("/v1/images/generations", body);
        assertInvalid(r, field);
        assertEquals(before, ENGINE.requests.size(), "nothing reached the engine");
    }

    @Test
    void aUrlResponseFormatIsRefusedSayingOnlyB64JsonIsServed() throws Exception {
        HttpResponse<String> r = server.post("/v1/images/generations", cat(",\"response_format\":\"url\""));
        String message = assertInvalid(r, "\"response_format\"");
        assertTrue(message.contains("b64_json"), message);
        assertTrue(message.contains("keeps no files"), message);
    }

    @Test
    void theLimitsAreNamedInTheirErrors() throws Exception {
        String n = assertInvalid(server.post("/v1/images/generations", cat(",\"n\":3")), "\"n\"");
        assertTrue(n.contains("2") && n.contains("--image-max-batch"), n);
        String size = assertInvalid(server.post("/v1/images/generations", cat(",\"size\":\"512x832\"")), "\"size\"");
        assertTrue(size.contains("768") && size.contains("--image-max-height"), size);
    }

    @Test
    void aBodyThatIsNotJsonIsA400() throws Exception {
        HttpResponse<String> r = server.post("/v1/images/generations", "{\"prompt\":");
        assertEquals(400, r.statusCode());
        assertEquals("invalid_request_error", TestServer.json(r).at("/error/type").asText());
    }

    @Test
    void theLargestAllowedRequestIsAccepted() throws Exception {
        HttpResponse<String> r = server.post("/v1/images/generations", cat(",\"n\":2,\"size\":\"1024x768\""));
        assertEquals(200, r.statusCode(), r.body());
    }

    /** Checks the status and shape; returns the message. */
    private static String assertInvalid(HttpResponse<String> r, String field) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        JsonNode body = TestServer.json(r);
        assertEquals(1, body.size(), "only \"error\": " + body);
        JsonNode error = body.get("error");
        assertEquals(3, error.size(), error.toString());
        assertEquals(400, error.get("code").asInt());
        assertEquals("invalid_request_error", error.get("type").asText());
        String message = error.get("message").asText();
        assertTrue(message.contains(field), "the message names " + field + ": " + message);
        return message;
    }
}
