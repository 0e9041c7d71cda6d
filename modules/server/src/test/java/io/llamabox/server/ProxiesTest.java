package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real HTTP/1.0 clients in front of the server, all on loopback: ApacheBench, an HAProxy health
 * check ({@code option httpchk}, HTTP/1.0 by default) and nginx proxying with
 * {@code proxy_http_version 1.0}. HAProxy and nginx listen on Unix sockets in a temporary directory, so
 * no TCP port is chosen for them; they reach the server on the port it was given by the kernel.
 * {@code tools/devenv} installs the three; elsewhere these tests are skipped, saying so.
 */
class ProxiesTest {
    private static final Duration GUARD = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private TestServer server;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : started) {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        server.close();
    }

    @Test
    void apacheBenchGetsEveryAnswerWithAndWithoutKeepAlive() throws Exception {
        Path ab = tool("ab");
        String health = "http://127.0.0.1:" + server.server.port() + "/health";
        String plain = run(List.of(ab.toString(), "-n", "200", "-c", "8", health));
        assertAllAnswered(plain, 200);
        String kept = run(List.of(ab.toString(), "-k", "-n", "200", "-c", "8", health));
        assertAllAnswered(kept, 200);
        assertTrue(kept.matches("(?s).*Keep-Alive requests:\\s+200\\n.*"), kept);

        Path body = Files.writeString(dir.resolve("chat.json"), TestServer.chat(""));
        String chats = run(List.of(ab.toString(), "-n", "40", "-c", "4", "-p", body.toString(), "-T",
                "application/json", "http://127.0.0.1:" + server.server.port() + "/v1/chat/completions"));
        assertAllAnswered(chats, 40);
    }

    /** Every request completed with a 2xx; a body length that differs between answers is no failure here. */
    private static void assertAllAnswered(String ab, int n) {
        assertTrue(ab.matches("(?s).*Complete requests:\\s+" + n + "\\n.*"), ab);
        assertTrue(!ab.contains("Non-2xx responses"), ab);
        Matcher failed = Pattern.compile("Failed requests:\\s+(\\d+)\\n(?:\\s+\\(Connect: (\\d+), Receive: (\\d+), "
                + "Length: \\d+, Exceptions: (\\d+)\\))?").matcher(ab);
        assertTrue(failed.find(), ab);
        if (!failed.group(1).equals("0")) {
            assertEquals("0 0 0", failed.group(2) + " " + failed.group(3) + " " + failed.group(4), ab);
        }
    }

    @Test
    void anHaproxyHealthCheckSeesTheServerUpThenDownWhenItDrains() throws Exception {
        Path haproxy = tool("haproxy");
        Path admin = dir.resolve("admin.sock");
        Path config = Files.writeString(dir.resolve("haproxy.cfg"), String.join("\n",
                "global",
                "  stats socket " + admin + " level admin",
                "defaults",
                "  mode http",
                "  timeout connect 5s",
                "  timeout client 30s",
                "  timeout server 30s",
                "frontend in",
                "  bind unix@" + dir.resolve("in.sock"),
                "  default_backend box",
                "backend box",
                "  option httpchk GET /health",
                "  server s1 127.0.0.1:" + server.server.port() + " check inter 200 fall 1 rise 1",
                ""));
        start(List.of(haproxy.toString(), "-db", "-f", config.toString()));
        awaitCheck(admin, status -> status.startsWith("UP") && status.contains("L7OK"));
        server.server.drain(Duration.ZERO);
        String down = awaitCheck(admin, status -> status.startsWith("DOWN"));
        assertTrue(down.contains("L7STS 503"), down);
    }

    /** Polls HAProxy's own view of the server: "status check_status check_code". */
    private String awaitCheck(Path admin, Predicate<String> wanted) throws Exception {
        long deadline = System.nanoTime() + GUARD.toNanos();
        String last = "(no answer)";
        while (System.nanoTime() < deadline) {
            if (Files.exists(admin)) {
                last = serverStatus(unixExchange(admin, "show stat\n"));
                if (wanted.test(last)) {
                    return last;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("HAProxy never saw the wanted state; last: " + last);
    }

    private static String serverStatus(String csv) {
        String[] lines = csv.split("\n");
        List<String> columns = List.of(lines[0].replaceFirst("^# ", "").split(","));
        for (String line : lines) {
            String[] v = line.split(",", -1);
            if (v.length > 1 && v[0].equals("box") && v[1].equals("s1")) {
                return v[columns.indexOf("status")] + " " + v[columns.indexOf("check_status")] + " "
                        + v[columns.indexOf("check_code")];
            }
        }
        return "(no row)";
    }

    @Test
    void nginxWithProxyHttpVersion10PassesAnswersAndStreams() throws Exception {
        Path nginx = tool("nginx");
        Path socket = dir.resolve("nginx.sock");
        Path config = Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
                "daemon off;",
                "master_process off;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("error.log") + ";",
                "events { worker_connections 64; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + dir.resolve("body") + ";",
                "  proxy_temp_path " + dir.resolve("proxy") + ";",
                "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
                "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
                "  scgi_temp_path " + dir.resolve("scgi") + ";",
                "  server {",
                "    listen unix:" + socket + ";",
                "    location / {",
                "      proxy_pass http://127.0.0.1:" + server.server.port() + ";",
                "      proxy_http_version 1.0;",
                "      proxy_buffering off;",
                "    }",
                "  }",
                "}",
                ""));
        start(List.of(nginx.toString(), "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                "-c", config.toString()));
        String health = awaitNginx(socket, RawHttp.get("HTTP/1.1", "/health", "Host: box", "Connection: close"));
        assertTrue(health.startsWith("HTTP/1.1 200") && health.endsWith("{\"status\":\"ok\"}"), health);

        String chat = unixExchange(socket, RawHttp.post("HTTP/1.1", "/v1/chat/completions", TestServer.chat(""),
                "Host: box", "Connection: close"));
        assertTrue(chat.startsWith("HTTP/1.1 200") && chat.contains("Hello, world!"), chat);

        String stream = unixExchange(socket, RawHttp.post("HTTP/1.1", "/v1/chat/completions",
                TestServer.chat(",\"stream\":true"), "Host: box", "Connection: close"));
        assertTrue(stream.startsWith("HTTP/1.1 200"), stream);
        String events = "chunked".equals(RawHttp.header(stream, "Transfer-Encoding"))
                ? RawHttp.dechunk(RawHttp.body(stream)) : RawHttp.body(stream);
        assertTrue(events.contains("\"content\":\" world\"") && events.endsWith("data: [DONE]\n\n"), events);
    }

    /** The first answer through nginx, waiting for it to listen. */
    private String awaitNginx(Path socket, String request) throws Exception {
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (true) {
            try {
                return unixExchange(socket, request);
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("nginx never listened:\n" + Files.readString(dir.resolve("error.log")),
                            notYet);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Sends the bytes over a Unix socket and reads until the other side closes. */
    private static String unixExchange(Path socket, String request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static Path tool(String name) {
        Path found = Stream.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin").map(d -> Path.of(d, name))
                .filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(found != null, name + " is not installed (tools/devenv installs it): skipped");
        return found;
    }

    private Process start(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(Path.of(cmd.getFirst()).getFileName() + ".out").toFile()).start();
        started.add(p);
        return p;
    }

    private String run(List<String> cmd) throws Exception {
        Path out = dir.resolve("run.out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        started.add(p);
        assertTrue(p.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS), "the command ended: " + cmd);
        String text = Files.readString(out);
        assertEquals(0, p.exitValue(), text);
        return text;
    }
}
