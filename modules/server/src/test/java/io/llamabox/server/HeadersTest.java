package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class HeadersTest {

    @Test
    void aClientRequestIdIsEchoedAndReachesTheEngine() throws Exception {
        try (TestServer s = TestServer.start()) {
            HttpResponse<String> r = s.post("/v1/chat/completions", TestServer.chat(""), "X-Request-ID", "trace-id");
            assertEquals("trace-id", r.headers().firstValue("X-Request-ID").orElseThrow());
            assertEquals("trace-id", s.engine.lastRequest().requestId());
            assertEquals("trace-id", s.renderer.lastMdcRequestId, "log lines of the request carry its id");
        }
    }

    @Test
    void aZeroKeepAliveClosesEachConnection() throws Exception {
        try (TestServer s = TestServer.start(b -> b.connectionKeepAlive(java.time.Duration.ZERO))) {
            assertEquals("close", s.get("/health").headers().firstValue("Connection").orElseThrow());
        }
        try (TestServer s = TestServer.start()) {
            assertTrue(s.get("/health").headers().firstValue("Connection").filter("close"::equals).isEmpty());
        }
    }

    @Test
    void httpThreadsLimitsConcurrentRequestsAndQueuesTheRest() throws Exception {
        try (TestServer s = TestServer.start(b -> b.httpThreads(1))) {
            java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
            s.engine.afterFirstPiece = gate;
            var first = s.client.sendAsync(s.request("/completion").POST(HttpRequest.BodyPublishers.ofString(
                    "{\"prompt\":\"A\"}")).build(), HttpResponse.BodyHandlers.ofString());
            long guard = System.currentTimeMillis() + 60_000; // against a hang, not a measure
            while (s.engine.requests.isEmpty() && System.currentTimeMillis() < guard) {
                Thread.sleep(10);
            }
            assertEquals(1, s.engine.requests.size());
            var second = s.client.sendAsync(s.request("/completion").POST(HttpRequest.BodyPublishers.ofString(
                    "{\"prompt\":\"B\"}")).build(), HttpResponse.BodyHandlers.ofString());
            // The second request must not reach the engine while the first holds the only HTTP thread. This
            // wait can only let a broken limit slip through unnoticed; it cannot fail a working one.
            Thread.sleep(300);
            assertEquals(1, s.engine.requests.size(), "the second request waits for the first");
            gate.countDown();
            assertEquals(200, first.get(60, java.util.concurrent.TimeUnit.SECONDS).statusCode());
            assertEquals(200, second.get(60, java.util.concurrent.TimeUnit.SECONDS).statusCode());
            assertEquals(2, s.engine.requests.size());
        }
    }

    @Test
    void aRequestIdIsGeneratedWhenAbsentAndDiffersPerRequest() throws Exception {
        try (TestServer s = TestServer.start()) {
            String first = s.get("/health").headers().firstValue("X-Request-ID").orElseThrow();
            String second = s.get("/health").headers().firstValue("X-Request-ID").orElseThrow();
            assertTrue(!first.isBlank() && !second.isBlank());
            assertNotEquals(first, second);
            HttpResponse<String> chat = s.post("/v1/chat/completions", TestServer.chat(""));
            assertEquals(chat.headers().firstValue("X-Request-ID").orElseThrow(), s.engine.lastRequest().requestId());
        }
    }

    @Test
    void responsesCarryServerAndAcceptedAtHeadersEvenOnErrors() throws Exception {
        try (TestServer s = TestServer.start()) {
            for (HttpResponse<String> r : new HttpResponse[] {s.get("/health"), s.get("/nowhere"),
                    s.post("/v1/chat/completions", "{")}) {
                assertEquals("llama-box/test", r.headers().firstValue("Server").orElseThrow());
                long acceptedAt = Long.parseLong(r.headers().firstValue("X-Request-Accepted-At").orElseThrow());
                assertTrue(Math.abs(acceptedAt - System.currentTimeMillis()) < 60_000);
                assertTrue(r.headers().firstValue("X-Request-ID").isPresent());
            }
        }
    }

    @Test
    void corsHeadersAreSetAndPreflightIsAnswered() throws Exception {
        try (TestServer s = TestServer.start()) {
            HttpResponse<String> plain = s.get("/health");
            assertEquals("*", plain.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());

            HttpRequest preflight = s.request("/v1/chat/completions", "Origin", "http://ui.example",
                    "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> r = s.send(preflight);
            assertEquals(200, r.statusCode());
            assertEquals("http://ui.example", r.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
            assertEquals("true", r.headers().firstValue("Access-Control-Allow-Credentials").orElseThrow());
            assertTrue(r.headers().firstValue("Access-Control-Allow-Methods").orElseThrow().contains("POST"));
            assertEquals("content-type", r.headers().firstValue("Access-Control-Allow-Headers").orElseThrow());
            assertEquals(0, s.engine.requests.size(), "a preflight runs nothing");
        }
    }

    @Test
    void tokensPerSecondHeaderIsIgnoredWhenTheLimitIsOff() throws Exception {
        try (TestServer s = TestServer.start()) {
            s.post("/v1/chat/completions", TestServer.chat(""), "X-Request-Tokens-Per-Second", "1000");
            assertEquals(0.0, s.engine.lastRequest().tokensPerSecond());
        }
    }

    @Test
    void tokensPerSecondHeaderPacesWithinTheMaximumAndIsRefusedAboveIt() throws Exception {
        try (TestServer s = TestServer.start(b -> b.tokensPerSecond(20))) {
            s.post("/v1/chat/completions", TestServer.chat(""), "X-Request-Tokens-Per-Second", "10");
            assertEquals(10.0, s.engine.lastRequest().tokensPerSecond());
            s.post("/completion", "{\"prompt\":\"Hi\"}", "X-Request-Tokens-Per-Second", "20");
            assertEquals(20.0, s.engine.lastRequest().tokensPerSecond());
            s.post("/v1/completions", "{\"prompt\":\"Hi\"}", "X-Request-Tokens-Per-Second", "0");
            assertEquals(20.0, s.engine.lastRequest().tokensPerSecond(), "0 asks for the maximum");
            s.post("/v1/completions", "{\"prompt\":\"Hi\"}", "X-Request-Tokens-Per-Second", "fast");
            assertEquals(20.0, s.engine.lastRequest().tokensPerSecond(), "not a number asks for the maximum");
            s.post("/v1/chat/completions", TestServer.chat(""));
            assertEquals(0.0, s.engine.lastRequest().tokensPerSecond(), "no header is unpaced");

            int before = s.engine.requests.size();
            HttpResponse<String> refused = s.post("/v1/chat/completions", TestServer.chat(""),
                    "X-Request-Tokens-Per-Second", "21");
            assertEquals(410, refused.statusCode());
            assertEquals(410, TestServer.json(refused).at("/error/code").asInt());
            assertTrue(TestServer.json(refused).at("/error/message").asText().contains("20"));
            assertEquals(before, s.engine.requests.size());
        }
    }

    @Test
    void theMeasuredSpeedIsTheMaximumWhenTheLimitIsDetected() throws Exception {
        try (TestServer s = TestServer.start(b -> b.tokensPerSecond(-1), 50)) {
            s.post("/v1/chat/completions", TestServer.chat(""), "X-Request-Tokens-Per-Second", "40");
            assertEquals(40.0, s.engine.lastRequest().tokensPerSecond());
            s.post("/v1/chat/completions", TestServer.chat(""), "X-Request-Tokens-Per-Second", "-3");
            assertEquals(50.0, s.engine.lastRequest().tokensPerSecond());
            assertEquals(410, s.post("/v1/chat/completions", TestServer.chat(""), "X-Request-Tokens-Per-Second",
                    "60").statusCode());
        }
        try (TestServer s = TestServer.start(b -> b.tokensPerSecond(-1), 0)) {
            s.post("/v1/chat/completions", TestServer.chat(""), "X-Request-Tokens-Per-Second", "500");
            assertEquals(500.0, s.engine.lastRequest().tokensPerSecond(), "no measurement: taken as given");
        }
    }
}
