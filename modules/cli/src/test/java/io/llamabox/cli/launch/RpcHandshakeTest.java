package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The check that keeps ggml's RPC client from aborting the process on a server it cannot use. */
class RpcHandshakeTest {
    /** A server that answers the first request with these bytes, then closes. */
    private static ServerSocket answering(byte[] answer) throws IOException {
        ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            try (Socket c = s.accept()) {
                c.getInputStream().readNBytes(9 + 24);
                c.getOutputStream().write(answer);
            } catch (IOException ignored) {
                // the test is over
            }
        });
        return s;
    }

    private static byte[] hello(int major, int minor, int patch) {
        return ByteBuffer.allocate(11).order(ByteOrder.LITTLE_ENDIAN).putLong(3).put((byte) major).put((byte) minor)
                .put((byte) patch).array();
    }

    @Test
    void aServerOfTheSameMajorVersionPasses() throws Exception {
        try (ServerSocket s = answering(hello(8, 1, 0))) {
            assertEquals(Optional.empty(), RpcHandshake.problem("127.0.0.1", s.getLocalPort(), 8, Duration.ofSeconds(5)));
        }
    }

    @Test
    void anotherVersionAClosedPortAndAStrangerAreNamed() throws Exception {
        try (ServerSocket s = answering(hello(3, 0, 0))) {
            String why = RpcHandshake.problem("127.0.0.1", s.getLocalPort(), 8, Duration.ofSeconds(5)).orElseThrow();
            assertTrue(why.contains("protocol 3.0.0 and this llama-box 8.x"), why);
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertTrue(RpcHandshake.problem("127.0.0.1", closed, 8, Duration.ofSeconds(5)).orElseThrow().contains("refused"));
        try (ServerSocket s = answering("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes())) {
            assertEquals(Optional.of("it does not answer like a ggml RPC server"),
                    RpcHandshake.problem("127.0.0.1", s.getLocalPort(), 8, Duration.ofSeconds(5)));
        }
    }
}
