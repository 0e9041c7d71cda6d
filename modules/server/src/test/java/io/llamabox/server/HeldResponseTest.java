package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A non-streaming generation that takes longer than a second is answered 200 at once and kept alive
 * with spaces before its JSON; a client that leaves meanwhile has its generation cancelled.
 */
class HeldResponseTest {
    @Test
    void aLongGenerationIsTheSameJsonAfterLeadingSpaces() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.engine.pieceDelayMillis = 700; // 4 pieces: about 2.8 s
            HttpResponse<String> r = server.post("/v1/chat/completions", TestServer.chat(""));
            assertEquals(200, r.statusCode());
            assertTrue(r.body().startsWith(" "), "spaces were written while the answer was pending");
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            JsonNode body = TestServer.JSON.readTree(r.body());
            assertEquals("Hello, world!", body.get("choices").get(0).get("message").get("content").asText());
            server.engine.pieceDelayMillis = 0;
            // done before submit returns: quick however busy the machine is
            server.engine.inline = true;
            HttpResponse<String> quick = server.post("/v1/chat/completions", TestServer.chat(""));
            assertTrue(quick.body().startsWith("{"), "a quick answer is sent as it is");
            assertEquals(body.get("choices"), TestServer.JSON.readTree(quick.body()).get("choices"));
        }
    }

    @Test
    void aClientThatLeavesHasItsGenerationCancelled() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.engine.script = new ArrayList<>(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"));
            // held after its first piece until cancelled: the generation cannot end any other way
            server.engine.afterFirstPiece = new CountDownLatch(1);
            byte[] body = TestServer.chat(",\"max_tokens\":10").getBytes(StandardCharsets.UTF_8);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.server.port())) {
                OutputStream out = s.getOutputStream();
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                InputStream in = s.getInputStream();
                String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
                assertEquals("HTTP/1.1 200", head, "the answer started while the generation ran");
            }
            long guard = System.nanoTime() + 60_000_000_000L; // against a hang, not a measure
            while (!server.engine.cancels.getLast().get()) {
                assertTrue(System.nanoTime() < guard, "the generation was cancelled after the client left");
                Thread.sleep(20);
            }
        }
    }
}
