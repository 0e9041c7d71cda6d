package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llamabox.spi.image.GeneratedImage;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The non-streaming answer of {@code POST /v1/images/generations}, and what a departing client does to it. */
class ImagesResponseTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    @Test
    void theAnswerIsOpenAisImagesResponseWhoseB64JsonIsThePng() throws Exception {
        ScriptedImageEngine engine = new ScriptedImageEngine();
        try (TestServer s = TestServer.images(engine, b -> b)) {
            HttpResponse<String> r = s.post("/v1/images/generations",
                    "{\"model\":\"dall-e-3\",\"prompt\":\"A lovely cat\",\"size\":\"256x320\",\"seed\":7,"
                            + "\"response_format\":\"b64_json\"}");
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            JsonNode body = TestServer.json(r);
            // what the official client reads: an integer "created", "data[i].b64_json"
            assertTrue(body.get("created").isIntegralNumber(), body.toString());
            assertTrue(body.get("created").asLong() > 1_600_000_000L);
            assertEquals(1, body.get("data").size());
            JsonNode image = body.get("data").get(0);
            assertEquals(0, image.get("index").asInt());
            assertEquals("image", image.get("object").asText());
            assertTrue(image.get("b64_json").isTextual());
            byte[] png = Base64.getDecoder().decode(image.get("b64_json").asText());
            assertArrayEquals(Arrays.copyOf(png, 8), PNG_SIGNATURE);
            assertArrayEquals(ScriptedImageEngine.image(256, 320, 7).png(), png);
            assertArrayEquals(engine.made.getLast().getFirst().png(), png);

            JsonNode usage = body.get("usage");
            assertEquals(ScriptedImageEngine.USAGE.timeToProcessMillis(), usage.get("time_to_process_ms").asDouble());
            assertEquals(ScriptedImageEngine.USAGE.timePerGenerationMillis(),
                    usage.get("time_per_generation_ms").asDouble());
            assertEquals(ScriptedImageEngine.USAGE.generationsPerSecond(), usage.get("generation_per_second").asDouble());
        }
    }

    @Test
    void severalImagesAreIndexedInOrderEachFromItsOwnSeed() throws Exception {
        ScriptedImageEngine engine = new ScriptedImageEngine();
        try (TestServer s = TestServer.images(engine, b -> b)) {
            HttpResponse<String> r = s.post("/v1/images/generations",
                    "{\"prompt\":\"A lovely cat\",\"size\":\"256x256\",\"n\":3,\"seed\":100}");
            assertEquals(200, r.statusCode(), r.body());
            JsonNode data = TestServer.json(r).get("data");
            assertEquals(3, data.size());
            List<GeneratedImage> made = engine.made.getLast();
            for (int i = 0; i < 3; i++) {
                assertEquals(i, data.get(i).get("index").asInt());
                byte[] png = Base64.getDecoder().decode(data.get(i).get("b64_json").asText());
                assertArrayEquals(made.get(i).png(), png);
                assertArrayEquals(ScriptedImageEngine.image(256, 256, 100 + i).png(), png);
            }
            assertNotEquals(data.get(0).get("b64_json"), data.get(1).get("b64_json"));
        }
    }

    @Test
    void anEngineFailureBeforeTheAnswerGetsAnErrorStatus() throws Exception {
        ScriptedImageEngine engine = new ScriptedImageEngine();
        engine.failAtStep = 2;
        engine.inline = true; // failed before generate returns: however busy the machine is
        try (TestServer s = TestServer.images(engine, b -> b)) {
            HttpResponse<String> r = s.post("/v1/images/generations", "{\"prompt\":\"A lovely cat\"}");
            assertEquals(500, r.statusCode());
            assertEquals("server_error", TestServer.json(r).at("/error/type").asText());
            assertEquals("sampling failed", TestServer.json(r).at("/error/message").asText());
        }
    }

    @Test
    void aClientThatLeavesBeforeTheImagesAreDoneHasItsGenerationCancelled() throws Exception {
        ScriptedImageEngine engine = new ScriptedImageEngine();
        // held after its first step until cancelled: the generation cannot end any other way
        engine.afterFirstStep = new CountDownLatch(1);
        try (TestServer s = TestServer.images(engine, b -> b)) {
            byte[] body = "{\"prompt\":\"A lovely cat\"}".getBytes(StandardCharsets.UTF_8);
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), s.server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/images/generations HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                InputStream in = socket.getInputStream();
                String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
                assertEquals("HTTP/1.1 200", head, "the answer started while the generation ran");
            }
            awaitCancelled(engine);
            assertEquals(200, s.get("/health").statusCode(), "the server keeps serving");
        }
    }

    static void awaitCancelled(ScriptedImageEngine engine) throws InterruptedException {
        // the bound guards against a hang, it measures nothing
        assertTrue(engine.cancelled.await(60, TimeUnit.SECONDS), "the generation was cancelled after the client left");
        assertTrue(engine.cancels.getLast().get());
    }
}
