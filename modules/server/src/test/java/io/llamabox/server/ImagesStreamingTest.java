package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/images/generations} with {@code stream: true}: a chunk per step with rising progress,
 * previews when asked, each finished image (whole or in pieces) at 100, usage when asked, {@code [DONE]}.
 */
class ImagesStreamingTest {
    private static final ScriptedImageEngine ENGINE = new ScriptedImageEngine();
    private static final int STEPS = ScriptedImageEngine.DEFAULTS.steps();
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.images(ENGINE, b -> b);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The events of a streamed generation of a 256x256 cat with seed 3 and more fields; checks [DONE] ends it. */
    private static List<JsonNode> stream(String fields) throws Exception {
        HttpResponse<String> r = server.post("/v1/images/generations",
                "{\"prompt\":\"A lovely cat\",\"size\":\"256x256\",\"seed\":3,\"stream\":true" + fields + "}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<String> events = TestServer.events(r);
        assertEquals("[DONE]", events.getLast(), "[DONE] ends the stream");
        List<JsonNode> out = new ArrayList<>();
        for (String e : events.subList(0, events.size() - 1)) {
            JsonNode event = TestServer.JSON.readTree(e);
            assertTrue(event.get("created").isIntegralNumber(), e);
            assertEquals(1, event.get("data").size(), e);
            assertEquals("image.chunk", event.at("/data/0/object").asText(), e);
            out.add(event);
        }
        return out;
    }

    private static JsonNode item(JsonNode event) {
        return event.get("data").get(0);
    }

    private static boolean finished(JsonNode event) {
        return item(event).get("progress").asDouble() == 100.0;
    }

    /** The image index's finished pieces put together, decoded. */
    private static byte[] finishedImage(List<JsonNode> events, int index) {
        StringBuilder b64 = new StringBuilder();
        for (JsonNode e : events) {
            if (finished(e) && item(e).get("index").asInt() == index) {
                b64.append(item(e).get("b64_json").asText());
            }
        }
        return Base64.getDecoder().decode(b64.toString());
    }

    @Test
    void eachStepRaisesTheProgressThenTheFinishedImageComesAtOneHundred() throws Exception {
        List<JsonNode> events = stream("");
        assertEquals(STEPS + 1, events.size(), events.toString());
        double last = -1;
        for (int i = 0; i < STEPS; i++) {
            JsonNode step = item(events.get(i));
            assertEquals(0, step.get("index").asInt());
            assertEquals(i + 1, step.get("progressed_steps").asInt());
            assertEquals(STEPS, step.get("progress_steps").asInt());
            double progress = step.get("progress").asDouble();
            assertTrue(progress > last && progress < 100, "rising and below 100 until the image is done: " + step);
            last = progress;
            assertNull(step.get("b64_json"), "no image before it is done: " + step);
            assertTrue(step.get("finish_reason").isNull());
        }
        JsonNode done = item(events.getLast());
        assertEquals(100.0, done.get("progress").asDouble());
        assertEquals(STEPS, done.get("progressed_steps").asInt());
        assertEquals(STEPS, done.get("progress_steps").asInt());
        assertEquals("stop", done.get("finish_reason").asText());
        assertArrayEquals(ScriptedImageEngine.image(256, 256, 3).png(),
                Base64.getDecoder().decode(done.get("b64_json").asText()));
        assertTrue(events.stream().noneMatch(e -> e.has("usage")), "no usage unless asked for");
    }

    @Test
    void previewsComeOnlyWhenAskedFor() throws Exception {
        for (String option : List.of("\"preview\":true", "\"preview_faster\":true")) {
            List<JsonNode> events = stream(",\"stream_options\":{" + option + "}");
            List<JsonNode> previews = events.stream().filter(e -> !finished(e) && item(e).has("b64_json")).toList();
            assertEquals(STEPS, previews.size(), option + ": one preview per step: " + events);
            for (JsonNode p : previews) {
                byte[] png = Base64.getDecoder().decode(item(p).get("b64_json").asText());
                assertEquals('P', png[1], "a PNG");
                assertTrue(item(p).get("finish_reason").isNull());
            }
            assertArrayEquals(ScriptedImageEngine.image(256, 256, 3).png(), finishedImage(events, 0));
            double last = -1;
            for (JsonNode e : events) {
                double progress = item(e).get("progress").asDouble();
                assertTrue(progress >= last, "the progress never falls: " + events);
                last = progress;
            }
        }
        assertTrue(stream(",\"stream_options\":{\"preview\":false}").stream()
                .noneMatch(e -> !finished(e) && item(e).has("b64_json")), "no previews unless asked for");
    }

    @Test
    void aChunkedResultComesInPiecesThatMakeTheSamePng() throws Exception {
        List<JsonNode> events = stream(",\"stream_options\":{\"chunk_result\":true,\"chunk_size\":100}");
        List<JsonNode> pieces = events.stream().filter(ImagesStreamingTest::finished).toList();
        String whole = Base64.getEncoder().encodeToString(ScriptedImageEngine.image(256, 256, 3).png());
        assertEquals((whole.length() + 99) / 100, pieces.size(), "pieces of 100 characters");
        assertTrue(pieces.size() > 1, "the image is longer than a piece");
        for (int i = 0; i < pieces.size(); i++) {
            JsonNode piece = item(pieces.get(i));
            assertTrue(piece.get("b64_json").asText().length() <= 100);
            boolean last = i == pieces.size() - 1;
            assertEquals(last ? "stop" : null, piece.get("finish_reason").isNull() ? null
                    : piece.get("finish_reason").asText(), "only the last piece finishes the image");
        }
        assertEquals(whole, String.join("", pieces.stream().map(p -> item(p).get("b64_json").asText()).toList()));
        assertArrayEquals(ScriptedImageEngine.image(256, 256, 3).png(), finishedImage(events, 0));
    }

    @Test
    void theUsageComesLastAndOnlyWithIncludeUsage() throws Exception {
        List<JsonNode> events = stream(",\"stream_options\":{\"include_usage\":true,\"chunk_result\":true,"
                + "\"chunk_size\":64}");
        JsonNode usage = events.getLast().get("usage");
        assertNotNull(usage, "the last event carries the usage");
        assertEquals(ScriptedImageEngine.USAGE.timeToProcessMillis(), usage.get("time_to_process_ms").asDouble());
        assertEquals(ScriptedImageEngine.USAGE.timePerGenerationMillis(), usage.get("time_per_generation_ms").asDouble());
        assertEquals(ScriptedImageEngine.USAGE.generationsPerSecond(), usage.get("generation_per_second").asDouble());
        assertEquals(1, events.stream().filter(e -> e.has("usage")).count(), "once");
        assertTrue(stream(",\"stream_options\":{\"include_usage\":false}").stream().noneMatch(e -> e.has("usage")));
    }

    @Test
    void severalImagesEachRiseAndFinishUnderTheirIndex() throws Exception {
        List<JsonNode> events = stream(",\"n\":2");
        for (int index = 0; index < 2; index++) {
            int at = index;
            List<JsonNode> own = events.stream().filter(e -> item(e).get("index").asInt() == at).toList();
            assertEquals(STEPS + 1, own.size(), "steps and the image of index " + index);
            double last = -1;
            for (JsonNode e : own) {
                assertTrue(item(e).get("progress").asDouble() > last);
                last = item(e).get("progress").asDouble();
            }
            assertArrayEquals(ScriptedImageEngine.image(256, 256, 3 + index).png(), finishedImage(events, index));
        }
    }

    @Test
    void aFailureAfterTheStreamStartedIsAnErrorEventWithoutDone() throws Exception {
        ScriptedImageEngine engine = new ScriptedImageEngine();
        engine.failAtStep = 3;
        try (TestServer s = TestServer.images(engine, b -> b)) {
            HttpResponse<String> r = s.post("/v1/images/generations", "{\"prompt\":\"cat\",\"stream\":true}");
            assertEquals(200, r.statusCode());
            List<String> events = TestServer.events(r);
            assertFalse(events.contains("[DONE]"), events.toString());
            JsonNode error = TestServer.JSON.readTree(events.getLast()).get("error");
            assertEquals(500, error.get("code").asInt());
            assertEquals("server_error", error.get("type").asText());
            assertEquals("sampling failed", error.get("message").asText());
            assertEquals(3, events.size(), "two steps, then the error: " + events);
        }
    }

    @Test
    void aFailureBeforeAnyEventGetsAnErrorStatus() throws Exception {
        ScriptedImageEngine engine = new ScriptedImageEngine();
        engine.failAtStep = 1;
        engine.inline = true; // failed before generate returns: however busy the machine is
        try (TestServer s = TestServer.images(engine, b -> b)) {
            HttpResponse<String> r = s.post("/v1/images/generations", "{\"prompt\":\"cat\",\"stream\":true}");
            assertEquals(500, r.statusCode());
            assertEquals("sampling failed", TestServer.json(r).at("/error/message").asText());
        }
    }

    @Test
    void aClientThatDisconnectsMidStreamCancelsItsGeneration() throws Exception {
        ScriptedImageEngine engine = new ScriptedImageEngine();
        // held after its first step until cancelled: the stream cannot end before the client leaves
        engine.afterFirstStep = new CountDownLatch(1);
        try (TestServer s = TestServer.images(engine, b -> b)) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), s.server.port())) {
                byte[] body = "{\"prompt\":\"cat\",\"stream\":true}".getBytes(StandardCharsets.UTF_8);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/images/generations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8));
                String line = in.readLine();
                while (line != null && !line.contains("image.chunk")) {
                    line = in.readLine();
                }
                assertNotNull(line, "a step arrived before the client left");
            }
            ImagesResponseTest.awaitCancelled(engine);
            assertEquals(200, s.get("/health").statusCode(), "the server keeps serving");
        }
    }
}
