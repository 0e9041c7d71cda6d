package io.llamabox.testkit.peer;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The peer {@code llama-server} running on a free port of 127.0.0.1, for tests that compare with it.
 *
 * <pre>{@code
 * try (PeerServer peer = PeerServer.start(model, List.of("-c", "512"))) {
 *     PeerServer.Response r = peer.post("/completion", "{\"prompt\":\"hello\",\"n_predict\":8}");
 * }
 * }</pre>
 */
public final class PeerServer implements AutoCloseable {

    /** An HTTP response. */
    public record Response(int status, String body) {
    }

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http;

    private PeerServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Starts the server on {@code model} with extra arguments and waits up to 60 s until it is ready. */
    public static PeerServer start(Path model, List<String> args) throws IOException {
        return start(model, args, Duration.ofSeconds(60));
    }

    /** Starts the server and waits up to {@code startTimeout} until {@code /health} answers 200. */
    public static PeerServer start(Path model, List<String> args, Duration startTimeout) throws IOException {
        // the port is free when chosen but another process may take it before the peer binds it: try another
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(model, args, startTimeout);
            } catch (PortLostException e) {
                if (attempt == 3) {
                    throw new IOException(e.getMessage());
                }
            }
        }
    }

    /** The peer exited at start-up because it could not bind its port. */
    private static final class PortLostException extends IOException {
        PortLostException(String message) {
            super(message);
        }
    }

    private static PeerServer startOnce(Path model, List<String> args, Duration startTimeout) throws IOException {
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Peer.executable("llama-server").toString());
        cmd.addAll(List.of("-m", model.toString(), "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--no-webui"));
        cmd.addAll(args);
        Path log = Files.createTempFile("peer-server-", ".log");
        Process p = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PeerServer server = new PeerServer(p, port, log);
        try {
            server.awaitReady(startTimeout);
        } catch (IOException | RuntimeException e) {
            String tail = server.logTail();
            server.close();
            if (!p.isAlive() && tail.contains("bind")) {
                throw new PortLostException("llama-server could not bind port " + port + ":\n" + tail);
            }
            if (e instanceof IOException io && io.getMessage() == null) {
                throw new IOException("llama-server did not start (" + e + "):\n" + tail, e);
            }
            throw e;
        }
        return server;
    }

    /** Ports handed out in this JVM: peers started in parallel must never be given the same one. */
    private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

    private static synchronized int freePort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
        throw new IOException("no free port that was not handed out before");
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("llama-server exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                if (get("/health").status() == 200) {
                    // a peer that lost its port to another process exits at once: make sure it was ours
                    Thread.sleep(100);
                    if (!process.isAlive()) {
                        throw new IOException("llama-server exited with " + process.exitValue() + ":\n" + logTail());
                    }
                    return;
                }
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IOException("llama-server exited with " + process.exitValue() + ":\n" + logTail(), e);
                }
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for llama-server", e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for llama-server", e);
            }
        }
        throw new IOException("llama-server was not ready within " + timeout + ":\n" + logTail());
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Response get(String path) throws IOException {
        return send(HttpRequest.newBuilder(baseUri().resolve(path)).GET());
    }

    /** POSTs a JSON body. */
    public Response post(String path, String json) throws IOException {
        return send(HttpRequest.newBuilder(baseUri().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private Response send(HttpRequest.Builder b) throws IOException {
        try {
            HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The last 8000 characters of the server's output. */
    public String logTail() {
        return Peer.tail(log, 8000);
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s) and deletes its log. */
    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            http.close();
            Files.deleteIfExists(log);
        }
    }
}
