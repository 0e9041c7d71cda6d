package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.testkit.model.TestModels;
import java.io.File;
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
import java.util.stream.Stream;
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
                "-Dllamabox.image.library.path=" + System.getProperty("llamabox.image.library.path"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    @Test
    void sigtermEndsRunningRequestsAndStopsTheEngine() throws Exception {
        try (BoxProcess box = BoxProcess.serve(dir.resolve("box.log"), Duration.ofSeconds(60),
                "-m", TestModels.llama().toString(), "-c", "4096", "-np", "1")) {
            HttpClient http = HttpClient.newHttpClient();
            String body = "{\"stream\":true,\"max_tokens\":100000,\"ignore_eos\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + box.port() + "/v1/chat/completions"))
                    .header("X-Request-ID", "lifecycle-42").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<Stream<String>> streaming = http.send(req, HttpResponse.BodyHandlers.ofLines());
            // the first event: the request is being generated when SIGTERM comes (no guess at how long that takes)
            assertTrue(streaming.body().anyMatch(line -> line.startsWith("data: ")), "a first chunk arrived");
            box.process.destroy(); // SIGTERM
            assertTrue(box.process.waitFor(30, TimeUnit.SECONDS), "the process ended");
            String out = box.output();
            assertTrue(out.contains("shutting down") && out.contains("engine stopped"), out);
            assertTrue(out.contains("[rid lifecycle-42]"), "the request id is in the log lines of the request:\n" + out);
            streaming.body().close();
        }
    }

    @Test
    void aMissingModelFailsWithOneClearLineAndExitCodeOne() throws Exception {
        Path log = dir.resolve("bad.log");
        Process p = start(log, "-m", dir.resolve("absent.gguf").toString(), "--port", "0");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        String out = Files.readString(log);
        assertTrue(out.contains("model file not found") && out.contains("absent.gguf"), out);
        assertTrue(!out.contains("\tat "), "no stack trace:\n" + out);
    }

    @Test
    void aModelThatIsNoImageModelFailsAnImageServerAtStartWithOneClearLine() throws Exception {
        Path notAModel = Files.write(dir.resolve("noise.gguf"), "GGUF but not really a model".getBytes());
        for (Path model : List.of(TestModels.llama(), notAModel)) {
            Path log = dir.resolve("images-" + model.getFileName() + ".log");
            Process p = start(log, "--images", "-m", model.toString(), "--port", "0");
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the process ended");
            String out = Files.readString(log);
            assertEquals(1, p.exitValue(), out);
            assertTrue(out.contains("cannot serve the model") && out.contains(model.getFileName().toString()), out);
            assertTrue(!out.contains("\tat "), "no stack trace:\n" + out);
        }
    }
}
