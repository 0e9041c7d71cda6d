package io.llamabox.testkit.peer;

import java.io.File;
import java.io.IOException;
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

    /**
     * Starts the server on port 0 and waits up to {@code startTimeout} until {@code /health} answers 200. The
     * kernel picks the port as the peer binds it; the peer's socket table tells which one it is.
     */
    public static PeerServer start(Path model, List<String> args, Duration startTimeout) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Peer.executable("llama-server").toString());
        cmd.addAll(List.of("-m", model.toString(), "--host", "127.0.0.1", "--port", "0", "--no-webui"));
        cmd.addAll(args);
        Path log = Files.createTempFile("peer-server-", ".log");
        Process p = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + startTimeout.toNanos();
        PeerServer server = null;
        try {
            int port = ListeningPorts.awaitOne(p, startTimeout);
            server = new PeerServer(p, port, log);
            server.awaitReady(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            return server;
        } catch (IOException | RuntimeException e) {
            String tail = Peer.tail(log, 8000);
            if (server != null) {
                server.close();
            } else {
                p.destroyForcibly();
                Files.deleteIfExists(log);
            }
            throw new IOException("llama-server did not start (" + e.getMessage() + "):\n" + tail, e);
        }
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("llama-server exited with " + process.exitValue());
            }
            try {
                if (get("/health").status() == 200) {
                    return;
                }
            } catch (IOException e) {
                // listening, but not answering yet
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("llama-server was not ready within " + timeout);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for llama-server", e);
            }
        }
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
