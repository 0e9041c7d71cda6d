package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.0 clients are served (Helidon alone answers them 505): the status line says 1.0, the
 * connection closes after the response unless the client asked for keep-alive and the body has a
 * length, and a stream comes without chunked coding, ended by the close.
 */
class Http10Test {
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(b -> b.connectionIdle(Duration.ofMinutes(10)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String exchange(String request) throws Exception {
        try (RawHttp c = new RawHttp(server.server.port())) {
            c.send(request);
            return c.readToEof();
        }
    }

    @Test
    void aHealthCheckWithoutHostIsAnsweredInHttp10AndClosed() throws Exception {
        String r = exchange(RawHttp.get("HTTP/1.0", "/health"));
        assertTrue(r.startsWith("HTTP/1.0 200 OK\r\n"), r);
        assertEquals("close", RawHttp.header(r, "Connection"));
        assertEquals("{\"status\":\"ok\"}", RawHttp.body(r));
        assertEquals(Integer.toString(RawHttp.body(r).length()), RawHttp.header(r, "Content-Length"));
    }

    @Test
    void aChatIsAnsweredWithItsJsonAndClosed() throws Exception {
        String r = exchange(RawHttp.post("HTTP/1.0", "/v1/chat/completions", TestServer.chat("")));
        assertTrue(r.startsWith("HTTP/1.0 200"), r);
        assertNull(RawHttp.header(r, "Transfer-Encoding"));
        JsonNode body = TestServer.JSON.readTree(RawHttp.body(r));
        assertEquals("Hello, world!", body.at("/choices/0/message/content").asText());
    }

    @Test
    void aStreamComesWithoutChunkedCodingAndEndsWithTheConnection() throws Exception {
        String r = exchange(RawHttp.post("HTTP/1.0", "/v1/chat/completions", TestServer.chat(",\"stream\":true"),
                "Connection: keep-alive"));
        assertTrue(r.startsWith("HTTP/1.0 200"), r);
        assertNull(RawHttp.header(r, "Transfer-Encoding"), r);
        assertEquals("close", RawHttp.header(r, "Connection"), "a body without length ends with the connection");
        String events = RawHttp.body(r);
        assertTrue(events.startsWith("data: {") && events.endsWith("data: [DONE]\n\n"), events);
        assertTrue(events.contains("\"content\":\" world\""), events);
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        try (RawHttp c = new RawHttp(server.server.port())) {
            for (int i = 0; i < 3; i++) {
                c.send(RawHttp.post("HTTP/1.0", "/v1/chat/completions", TestServer.chat(""), "Connection: Keep-Alive"));
                String r = c.readOne();
                assertTrue(r.startsWith("HTTP/1.0 200"), r);
                assertEquals("keep-alive", RawHttp.header(r, "Connection"));
                assertTrue(r.contains("Hello, world!"), r);
            }
            c.send(RawHttp.get("HTTP/1.0", "/health"));
            String last = c.readToEof();
            assertTrue(last.startsWith("HTTP/1.0 200") && last.endsWith("{\"status\":\"ok\"}"), last);
        }
    }

    @Test
    void errorsKeepOpenAisShape() throws Exception {
        String r = exchange(RawHttp.post("HTTP/1.0", "/v1/chat/completions", "{\"messages\":42}"));
        assertTrue(r.startsWith("HTTP/1.0 400"), r);
        JsonNode error = TestServer.JSON.readTree(RawHttp.body(r)).get("error");
        assertEquals(400, error.get("code").asInt());
        assertEquals("invalid_request_error", error.get("type").asText());
    }

    @Test
    void aRequestWithTransferEncodingIsRefusedAsFaultyFraming() throws Exception {
        String r = exchange("POST /v1/chat/completions HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n");
        assertTrue(r.startsWith("HTTP/1.0 400"), r);
        JsonNode error = TestServer.JSON.readTree(RawHttp.body(r)).get("error");
        assertTrue(error.get("message").asText().contains("Transfer-Encoding"), r);
    }

    @Test
    void noInterimResponseIsSentToA10Client() throws Exception {
        String r = exchange(RawHttp.post("HTTP/1.0", "/v1/chat/completions", TestServer.chat(""),
                "Expect: 100-continue"));
        assertTrue(r.startsWith("HTTP/1.0 200"), r);
        assertFalse(r.contains("100 Continue"), r);
    }

    @Test
    void http11IsUnchanged() throws Exception {
        String r = exchange(RawHttp.post("HTTP/1.1", "/v1/chat/completions", TestServer.chat(",\"stream\":true"),
                "Host: x", "Connection: close"));
        assertTrue(r.startsWith("HTTP/1.1 200"), r);
        assertEquals("chunked", RawHttp.header(r, "Transfer-Encoding"));
        assertTrue(RawHttp.dechunk(RawHttp.body(r)).endsWith("data: [DONE]\n\n"));
    }

    @Test
    void aRequestLineArrivingByteByByteIsStillServed() throws Exception {
        try (RawHttp c = new RawHttp(server.server.port())) {
            for (char ch : "GET /health HTTP/1.0\r\n\r\n".toCharArray()) {
                c.send(String.valueOf(ch));
            }
            String r = c.readToEof();
            assertTrue(r.startsWith("HTTP/1.0 200"), r);
        }
    }
}
