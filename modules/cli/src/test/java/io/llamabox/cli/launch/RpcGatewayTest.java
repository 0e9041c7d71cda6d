package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway in front of a stand-in for ggml's RPC server that, like ggml's, serves one connection at a
 * time: HELLO answers a version, GET_DEVICE_MEMORY answers {free, total}, command 42 echoes its payload.
 */
class RpcGatewayTest {
    private static final long GIB = 1L << 30;
    private ServerSocket backend;
    private Thread backendThread;
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger firstCommandsSeen = new AtomicInteger();
    private RpcGateway gateway;

    @BeforeEach
    void startBackend() throws IOException {
        backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        backendThread = Thread.ofPlatform().daemon().start(() -> {
            while (!backend.isClosed()) {
                try (Socket s = backend.accept()) {
                    sessions.incrementAndGet();
                    serveOne(s);
                } catch (IOException e) {
                    // the next client, or the end of the test
                }
            }
        });
    }

    private void serveOne(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        boolean first = true;
        while (true) {
            int cmd = in.read();
            if (cmd < 0) {
                return;
            }
            byte[] size = in.readNBytes(8);
            byte[] payload = in.readNBytes((int) le(size));
            if (first) {
                firstCommandsSeen.incrementAndGet();
                if (cmd != RpcGateway.CMD_HELLO) {
                    return;
                }
                first = false;
                out.write(answer(new byte[] {8, 0, 0}));
            } else if (cmd == RpcGateway.CMD_GET_DEVICE_MEMORY) {
                out.write(answer(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(20 * GIB).putLong(24 * GIB).array()));
            } else if (cmd == 42) {
                out.write(answer(payload));
            }
            out.flush();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        backend.close();
        backendThread.join(5000);
    }

    private void startGateway(long reserve, Duration handshake, Duration midMessage) throws IOException {
        gateway = RpcGateway.start("127.0.0.1", 0, (InetSocketAddress) backend.getLocalSocketAddress(),
                new RpcGateway.Limits(handshake, midMessage, reserve, Duration.ofSeconds(5)));
    }

    private static long le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static byte[] answer(byte[] payload) {
        return ByteBuffer.allocate(8 + payload.length).order(ByteOrder.LITTLE_ENDIAN).putLong(payload.length).put(payload).array();
    }

    private static byte[] request(int cmd, byte[] payload) {
        return ByteBuffer.allocate(9 + payload.length).order(ByteOrder.LITTLE_ENDIAN).put((byte) cmd).putLong(payload.length)
                .put(payload).array();
    }

    private Socket client() throws IOException {
        Socket s = new Socket("127.0.0.1", gateway.port());
        s.setSoTimeout(5000);
        return s;
    }

    private static byte[] call(Socket s, int cmd, byte[] payload) throws IOException {
        s.getOutputStream().write(request(cmd, payload));
        InputStream in = s.getInputStream();
        byte[] size = in.readNBytes(8);
        return in.readNBytes((int) le(size));
    }

    private static long[] memory(Socket s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(call(s, RpcGateway.CMD_GET_DEVICE_MEMORY, new byte[4])).order(ByteOrder.LITTLE_ENDIAN);
        return new long[] {b.getLong(), b.getLong()};
    }

    @Test
    void aWellBehavedClientIsRelayedBothWays() throws Exception {
        startGateway(0, Duration.ofSeconds(5), Duration.ofSeconds(5));
        try (Socket c = client()) {
            assertArrayEquals(new byte[] {8, 0, 0}, call(c, RpcGateway.CMD_HELLO, new byte[24]));
            byte[] big = new byte[300_000];
            new java.util.Random(1).nextBytes(big);
            assertArrayEquals(big, call(c, 42, big), "a payload larger than the relay's buffer");
            assertArrayEquals(new long[] {20 * GIB, 24 * GIB}, memory(c), "no reserve: the server's numbers");
        }
    }

    @Test
    void theReserveIsTakenOffTheFreeMemoryAndNeverBelowZero() throws Exception {
        startGateway(GIB, Duration.ofSeconds(5), Duration.ofSeconds(5));
        try (Socket c = client()) {
            call(c, RpcGateway.CMD_HELLO, new byte[24]);
            assertArrayEquals(new long[] {19 * GIB, 24 * GIB}, memory(c));
            assertArrayEquals(new byte[] {1, 2, 3}, call(c, 42, new byte[] {1, 2, 3}), "other answers pass untouched");
            assertArrayEquals(new long[] {19 * GIB, 24 * GIB}, memory(c));
        }
        byte[] answer = answer(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(GIB).putLong(2 * GIB).array());
        RpcGateway.reserve(answer, 3 * GIB);
        assertEquals(0, ByteBuffer.wrap(answer).order(ByteOrder.LITTLE_ENDIAN).getLong(8));
    }

    @Test
    void garbageAndBrokenHandshakesNeverReachTheServer() throws Exception {
        startGateway(0, Duration.ofMillis(500), Duration.ofSeconds(5));
        try (Socket http = client()) {
            http.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            assertEquals(-1, http.getInputStream().read(), "closed without an answer");
        }
        try (Socket huge = client()) {
            huge.getOutputStream().write(request(RpcGateway.CMD_HELLO, new byte[0]), 0, 1);
            huge.getOutputStream().write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
            assertEquals(-1, huge.getInputStream().read());
        }
        try (Socket silent = client()) {
            assertEquals(-1, silent.getInputStream().read(), "dropped when the handshake time is up");
        }
        assertEquals(0, sessions.get(), "none of them opened a session with the server");
        assertEquals(3, gateway.refused());
    }

    @Test
    void aTruncatedHelloHeldOpenDoesNotBlockTheNextClient() throws Exception {
        startGateway(0, Duration.ofSeconds(30), Duration.ofSeconds(5));
        try (Socket stuck = client(); Socket good = client()) {
            stuck.getOutputStream().write(request(RpcGateway.CMD_HELLO, new byte[24]), 0, 15);
            assertArrayEquals(new byte[] {8, 0, 0}, call(good, RpcGateway.CMD_HELLO, new byte[24]));
            assertArrayEquals(new byte[] {7}, call(good, 42, new byte[] {7}));
        }
    }

    @Test
    void oneClientAtATimeAndTheNextGetsInWhenItLeaves() throws Exception {
        startGateway(0, Duration.ofSeconds(5), Duration.ofSeconds(5));
        Socket first = client();
        call(first, RpcGateway.CMD_HELLO, new byte[24]);
        try (Socket second = client()) {
            second.getOutputStream().write(request(RpcGateway.CMD_HELLO, new byte[24]));
            second.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> second.getInputStream().read(), "waits for the first client");
            first.close();
            second.setSoTimeout(5000);
            byte[] size = second.getInputStream().readNBytes(8);
            assertEquals(3, le(size));
            assertArrayEquals(new byte[] {8, 0, 0}, second.getInputStream().readNBytes(3));
        }
        assertEquals(2, gateway.clientsServed());
    }

    @Test
    void aClientThatStallsInsideAMessageIsDroppedAndFreesTheServer() throws Exception {
        startGateway(0, Duration.ofSeconds(5), Duration.ofMillis(400));
        try (Socket stalled = client(); Socket next = client()) {
            call(stalled, RpcGateway.CMD_HELLO, new byte[24]);
            stalled.getOutputStream().write(request(42, new byte[100]), 0, 20);
            assertArrayEquals(new byte[] {8, 0, 0}, call(next, RpcGateway.CMD_HELLO, new byte[24]), "served once the stalled one is dropped");
            assertEquals(-1, stalled.getInputStream().read());
        }
    }
}
