package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llamabox.server.http.ApiErrors;
import io.llamabox.server.http.ErrorBody;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The drain before a stop (SIGTERM, SIGINT): health and new requests 503 with Retry-After at once,
 * generations waiting for a slot 503 too, running ones go on for the grace period and then end with an
 * error in OpenAI's shape (a stream: an error event, {@code [DONE]}, a terminated body). No 500, no
 * exception names.
 */
class DrainingTest {
    private static final Duration GUARD = Duration.ofSeconds(60);

    @Test
    void drainingRefusesNewAndWaitingRequestsAndEndsRunningOnesAfterTheGrace() throws Exception {
        try (TestServer s = TestServer.start()) {
            s.engine.slotsFree = new Semaphore(2);
            s.engine.afterFirstPiece = new CountDownLatch(1); // never opened: what runs holds its slot
            CompletableFuture<HttpResponse<String>> runningStream = s.client.sendAsync(chat(s, true),
                    HttpResponse.BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> running = s.client.sendAsync(chat(s, false),
                    HttpResponse.BodyHandlers.ofString());
            awaitState(() -> s.engine.started.get() == 2);
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                waiting.add(s.client.sendAsync(chat(s, i % 2 == 0), HttpResponse.BodyHandlers.ofString()));
            }
            awaitState(() -> s.engine.requests.size() == 6);

            CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> {
                try {
                    s.server.drain(Duration.ofSeconds(1));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            for (CompletableFuture<HttpResponse<String>> w : waiting) {
                HttpResponse<String> r = w.get(GUARD.toSeconds(), TimeUnit.SECONDS);
                assertStopping(r.body());
                if (r.statusCode() != 200) { // a non-streamed request that waited over a second has its 200 already
                    assertRefused(r);
                }
            }
            HttpResponse<String> health = s.get("/health");
            assertRefused(health);
            assertRefused(s.post("/v1/chat/completions", TestServer.chat("")));

            HttpResponse<String> stream = runningStream.get(GUARD.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, stream.statusCode());
            List<String> events = TestServer.events(stream);
            assertEquals("[DONE]", events.getLast(), stream.body());
            assertStopping(events.get(events.size() - 2));
            assertTrue(events.get(0).contains("\"choices\""), "the stream had begun: " + events.get(0));
            assertStopping(running.get(GUARD.toSeconds(), TimeUnit.SECONDS).body());
            drained.get(GUARD.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void aRunningImageStreamEndsWithAnErrorEventAndDoneAfterTheGrace() throws Exception {
        ScriptedImageEngine engine = new ScriptedImageEngine();
        engine.afterFirstStep = new CountDownLatch(1); // never opened: the generation runs until cancelled
        try (TestServer s = TestServer.images(engine, b -> b)) {
            CompletableFuture<HttpResponse<String>> stream = s.client.sendAsync(s.request("/v1/images/generations")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"cat\",\"stream\":true}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(engine.atGate.await(GUARD.toSeconds(), TimeUnit.SECONDS), "the generation began");
            s.server.drain(Duration.ofSeconds(1));
            HttpResponse<String> r = stream.get(GUARD.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            List<String> events = TestServer.events(r);
            assertEquals("[DONE]", events.getLast(), r.body());
            assertStopping(events.get(events.size() - 2));
            assertTrue(events.get(0).contains("image.chunk"), "the stream had begun: " + events.get(0));
            assertTrue(engine.cancelled.getCount() == 0, "the generation was cancelled");
            assertRefused(s.post("/v1/images/generations", "{\"prompt\":\"cat\"}"));
        }
    }

    @Test
    void aDrainWithNothingRunningReturnsAtOnceAndRefusesEvenPreflights() throws Exception {
        try (TestServer s = TestServer.start()) {
            long t0 = System.nanoTime();
            s.server.drain(Duration.ofMinutes(5));
            assertTrue(System.nanoTime() - t0 < GUARD.toNanos(), "the drain waited for nothing");
            assertRefused(s.get("/health"));
            assertRefused(s.send(s.request("/").method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build()));
        }
    }

    @Test
    void anInterruptedRequestIsA503WithoutAnExceptionName() {
        ErrorBody body = ApiErrors.describe(new InterruptedException());
        assertEquals(503, body.error().code());
        assertFalse(body.error().message().contains("Exception"), body.error().message());
        assertTrue(ApiErrors.isStopping(new InterruptedException()));
    }

    private static HttpRequest chat(TestServer s, boolean stream) {
        return s.request("/v1/chat/completions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.chat(stream ? ",\"stream\":true" : ""))).build();
    }

    private static void assertRefused(HttpResponse<String> r) throws Exception {
        assertEquals(503, r.statusCode(), r.body());
        assertEquals("5", r.headers().firstValue("Retry-After").orElse(null));
        assertStopping(r.body());
    }

    /** An error in OpenAI's shape saying the server stops, with no Java exception named. */
    private static void assertStopping(String json) throws Exception {
        JsonNode error = TestServer.JSON.readTree(json.strip()).get("error");
        assertTrue(error != null, json);
        assertEquals(503, error.get("code").asInt(), json);
        assertEquals("unavailable_error", error.get("type").asText(), json);
        assertTrue(error.get("message").asText().contains("stopping")
                || error.get("message").asText().contains("shutting down"), json);
        assertFalse(json.contains("Exception"), json);
    }

    /** Waits for a state of the scripted engine that the requests reach by themselves. */
    private static void awaitState(BooleanSupplier reached) throws InterruptedException {
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (!reached.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the engine never reached the state");
            }
            Thread.sleep(10);
        }
    }
}
