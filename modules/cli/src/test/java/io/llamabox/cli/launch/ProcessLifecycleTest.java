package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.testkit.model.TestModels;
import java.io.File;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The llama-box process: 503 while loading, request ids in its log, and SIGTERM ends it cleanly mid-request. */
class ProcessLifecycleTest {
    @TempDir
    Path dir;

    private Process start(Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Dllamabox.library.path=" + System.getProperty("llamabox.library.path"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void sigtermEndsRunningRequestsAndStopsTheEngine() throws Exception {
        int port = freePort();
        Path log = dir.resolve("box.log");
        Process p = start(log, "-m", TestModels.llama().toString(), "-c", "4096", "-np", "1", "--port", String.valueOf(port));
        HttpClient http = HttpClient.newHttpClient();
        try {
            URI health = URI.create("http://127.0.0.1:" + port + "/health");
            int status = 0;
            long deadline = System.currentTimeMillis() + 60_000;
            while (status != 200 && System.currentTimeMillis() < deadline) {
                try {
                    status = http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
                } catch (java.io.IOException notYet) {
                    Thread.sleep(200);
                }
            }
            assertEquals(200, status, Files.readString(log));
            String body = "{\"stream\":true,\"max_tokens\":100000,\"ignore_eos\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                    .header("X-Request-ID", "lifecycle-42").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            CompletableFuture<HttpResponse<String>> streaming = http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
            Thread.sleep(1500);
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the process ended");
            String out = Files.readString(log);
            assertTrue(out.contains("shutting down") && out.contains("engine stopped"), out);
            assertTrue(out.contains("[rid lifecycle-42]"), "the request id is in the log lines of the request:\n" + out);
            try {
                streaming.get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // the connection may close before the final chunk: what matters is that nothing hangs
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aMissingModelFailsWithOneClearLineAndExitCodeOne() throws Exception {
        Path log = dir.resolve("bad.log");
        Process p = start(log, "-m", dir.resolve("absent.gguf").toString(), "--port", String.valueOf(freePort()));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        String out = Files.readString(log);
        assertTrue(out.contains("model file not found") && out.contains("absent.gguf"), out);
        assertTrue(!out.contains("\tat "), "no stack trace:\n" + out);
    }
}
