package io.llamabox.cli.launch;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code llama-box} process started from this test's class path, its output in a file. */
final class BoxProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final Process process;
    final Path log;
    private int port = -1;

    private BoxProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static BoxProcess start(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Dllamabox.library.path=" + System.getProperty("llamabox.library.path"),
                "-Dllamabox.image.library.path=" + System.getProperty("llamabox.image.library.path"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        return new BoxProcess(p, log);
    }

    /**
     * A loopback port that refuses connections for as long as the returned socket stays open: bound, never
     * listening, so no other process can take the port meanwhile.
     */
    static Socket closedPort() throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return s;
    }

    /**
     * Starts a server on port 0 ({@code --port 0} is added) and waits until it answers {@code /health} with 200.
     * The port is the one the server's own log line names: ours, written before it serves, never lost.
     */
    static BoxProcess serve(Path log, Duration limit, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--port", "0"));
        BoxProcess box = start(log, all.toArray(String[]::new));
        try {
            box.port = box.awaitPort(Pattern.compile("listening on http://\\S+:(\\d+)"), limit);
            box.awaitHealthy(box.port, limit);
            return box;
        } catch (Exception | AssertionError e) {
            box.close();
            throw e;
        }
    }

    /**
     * Starts RPC-server mode on 127.0.0.1 and waits until it listens. Its port cannot be 0 (that turns the
     * mode off), so a port is reserved first: bound with SO_REUSEADDR and never listening, which the
     * kernel hands to no other process, while the server (SO_REUSEADDR too) binds and listens on it.
     */
    static BoxProcess rpcServer(Path log, String... extra) throws Exception {
        try (Socket reservation = new Socket()) {
            reservation.setReuseAddress(true);
            reservation.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = reservation.getLocalPort();
            List<String> all = new ArrayList<>(List.of("--rpc-server-host", "127.0.0.1", "--rpc-server-port",
                    String.valueOf(port)));
            all.addAll(List.of(extra));
            BoxProcess box = start(log, all.toArray(String[]::new));
            try {
                box.port = box.awaitPort(Pattern.compile("RPC server listening on 127\\.0\\.0\\.1:(\\d+),"),
                        Duration.ofSeconds(60));
                return box;
            } catch (Exception | AssertionError e) {
                box.close();
                throw e;
            }
        }
    }

    /** The port of {@link #serve} or {@link #rpcServer}. */
    int port() {
        return port;
    }

    private int awaitPort(Pattern line, Duration timeout) throws Exception {
        return Integer.parseInt(awaitOutput(line, timeout).group(1));
    }

    /** Waits until a line of the output matches {@code pattern} (our own log, which is written synchronously). */
    Matcher awaitOutput(Pattern pattern, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String line : output().lines().toList()) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return m;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("the process ended (" + process.exitValue() + ") before '" + pattern + "':\n"
                        + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + pattern + "' within " + timeout + ":\n" + output());
            }
            Thread.sleep(50);
        }
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** Waits until the output holds {@code text}; fails with the output if the process ends or time runs out. */
    void awaitOutput(String text, Duration timeout) throws Exception {
        awaitOutput(Pattern.compile(Pattern.quote(text)), timeout);
    }

    /** Waits until the server on {@code port} answers /health with 200. */
    void awaitHealthy(int port, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (get(port, "/health").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("not healthy on port " + port + ":\n" + output());
            }
            Thread.sleep(100);
        }
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(int port, String path, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Ends the process with SIGTERM (SIGKILL after 30 s) and returns its exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the process did not end within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
