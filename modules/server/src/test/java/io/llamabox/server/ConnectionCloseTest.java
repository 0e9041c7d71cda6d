package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Connection: close} ends the connection as soon as the response is complete, for POST bodies
 * and streams too (Helidon 4.3 kept reading such connections until the idle check, a minute later). The
 * idle check is set far beyond the read guard, so only the server's own close can end these reads.
 */
class ConnectionCloseTest {
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(b -> b.connectionIdle(Duration.ofMinutes(10)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aPostAskingToCloseIsFollowedByEndOfStream() throws Exception {
        try (RawHttp c = new RawHttp(server.server.port())) {
            c.send(RawHttp.post("HTTP/1.1", "/v1/chat/completions", TestServer.chat(""), "Host: x", "Connection: close"));
            String response = c.readToEof();
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertEquals("close", RawHttp.header(response, "Connection"));
            assertTrue(response.contains("Hello, world!"), response);
        }
    }

    @Test
    void aStreamAskingToCloseEndsWithDoneAndEndOfStream() throws Exception {
        try (RawHttp c = new RawHttp(server.server.port())) {
            c.send(RawHttp.post("HTTP/1.1", "/v1/chat/completions", TestServer.chat(",\"stream\":true"), "Host: x",
                    "Connection: keep-alive, close"));
            String response = c.readToEof();
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            String events = RawHttp.dechunk(RawHttp.body(response));
            assertTrue(events.endsWith("data: [DONE]\n\n"), events);
        }
    }

    @Test
    void aServerThatClosesEveryConnectionClosesAfterAPost() throws Exception {
        server.close();
        server = TestServer.start(b -> b.connectionIdle(Duration.ofMinutes(10)).connectionKeepAlive(Duration.ZERO));
        try (RawHttp c = new RawHttp(server.server.port())) {
            c.send(RawHttp.post("HTTP/1.1", "/v1/completions", "{\"prompt\":\"Hi\"}", "Host: x"));
            String response = c.readToEof();
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertEquals("close", RawHttp.header(response, "Connection"));
        }
    }

    @Test
    void withoutCloseTheConnectionServesTheNextRequest() throws Exception {
        try (RawHttp c = new RawHttp(server.server.port())) {
            for (int i = 0; i < 3; i++) {
                c.send(RawHttp.post("HTTP/1.1", "/v1/chat/completions", TestServer.chat(""), "Host: x"));
                String response = c.readOne();
                assertTrue(response.startsWith("HTTP/1.1 200") && response.contains("Hello, world!"), response);
            }
        }
    }
}
