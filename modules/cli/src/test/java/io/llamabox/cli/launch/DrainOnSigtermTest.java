package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.testkit.model.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while 16 streams run on 4 slots of the real engine: every client gets a proper end. Streams
 * that were generating end, after the grace period, with an error event in OpenAI's shape, {@code [DONE]}
 * and the chunked body's last chunk; requests that waited for a slot get 503 with {@code Retry-After}.
 * No 500, no exception name, no JVM crash file, and the process ends.
 */
class DrainOnSigtermTest {
    private static final Duration GUARD = Duration.ofSeconds(90);
    private static final int CLIENTS = 16;

    @TempDir
    Path dir;

    @Test
    void sigtermDuringSixteenStreamsOnFourSlotsEndsEveryClientProperly() throws Exception {
        try (BoxProcess box = BoxProcess.serve(dir.resolve("box.log"), Duration.ofSeconds(60),
                "-m", TestModels.llama().toString(), "-c", "16384", "-np", "4", "--shutdown-grace", "2")) {
            String body = "{\"stream\":true,\"max_tokens\":100000,\"ignore_eos\":true,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
            byte[] request = ("POST /v1/chat/completions HTTP/1.1\r\nHost: box\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8);
            ConcurrentHashMap<Integer, ByteArrayOutputStream> received = new ConcurrentHashMap<>();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                received.put(i, out);
                clients.add(Thread.ofPlatform().start(() -> exchange(box.port(), request, out)));
            }
            // four streams generate (the slots are full), the other twelve wait for one
            long deadline = System.nanoTime() + GUARD.toNanos();
            while (received.values().stream().filter(o -> text(o).contains("data: ")).count() < 4) {
                assertTrue(System.nanoTime() < deadline, "four streams began");
                Thread.sleep(20);
            }
            box.process.destroy(); // SIGTERM
            for (Thread t : clients) {
                t.join(GUARD.toMillis());
                assertFalse(t.isAlive(), "a client got no end to its response");
            }
            assertTrue(box.process.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS), "the process ended");

            int cut = 0;
            int refused = 0;
            for (ByteArrayOutputStream o : received.values()) {
                String r = text(o);
                assertFalse(r.contains("Exception") || r.startsWith("HTTP/1.1 500"), r);
                if (r.startsWith("HTTP/1.1 503")) {
                    assertTrue(r.contains("\r\nRetry-After: 5\r\n") && r.contains("\"code\":503")
                            && r.contains("\"type\":\"unavailable_error\""), r);
                    refused++;
                } else {
                    assertTrue(r.startsWith("HTTP/1.1 200"), r);
                    String events = dechunk(r.substring(r.indexOf("\r\n\r\n") + 4));
                    assertTrue(events.endsWith("data: [DONE]\n\n"), events);
                    if (events.contains("\"code\":503")) {
                        cut++;
                    }
                }
            }
            System.out.println("streams cut after the grace: " + cut + ", refused 503: " + refused);
            assertTrue(cut >= 1 && refused >= 1, "cut " + cut + ", refused " + refused);
            assertEquals(CLIENTS, received.size());
            try (Stream<Path> files = Files.list(Path.of("."))) {
                assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("hs_err")), "no JVM crash");
            }
            String log = box.output();
            assertTrue(log.contains("draining") && log.contains("engine stopped"), log);
        }
    }

    private static void exchange(int port, byte[] request, ByteArrayOutputStream out) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout((int) GUARD.toMillis());
            s.getOutputStream().write(request);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) >= 0; ) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (Exception e) {
            synchronized (out) {
                out.writeBytes(("\n(client failed: " + e + ")").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static String text(ByteArrayOutputStream o) {
        synchronized (o) {
            return o.toString(StandardCharsets.UTF_8);
        }
    }

    /** A chunked body decoded; fails unless it ends with the last chunk. */
    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        int at = 0;
        while (true) {
            int eol = indexOfCrlf(b, at);
            if (eol < 0) {
                throw new AssertionError("the chunked body is not terminated: " + body);
            }
            int size = Integer.parseInt(new String(b, at, eol - at, StandardCharsets.US_ASCII).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(new String(b, eol + 2, size, StandardCharsets.UTF_8));
            at = eol + 2 + size + 2;
        }
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
