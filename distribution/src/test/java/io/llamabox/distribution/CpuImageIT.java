package io.llamabox.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.model.TestModels;
import io.llamabox.testkit.peer.PeerServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU image as a user gets it: the .tar.gz unpacked somewhere else than where it was built, started
 * with an empty environment (no JDK, no PATH, no LD_LIBRARY_PATH), serving a generated model.
 */
class CpuImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    private static Path image;

    @BeforeAll
    static void unpack() throws Exception {
        Path tarball = BuiltImages.cpuTarball();
        Path target = dir.resolve("unpacked here");
        Files.createDirectories(target);
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", target.toString()).inheritIO().start();
        assertEquals(0, tar.waitFor());
        image = target.resolve("llama-box-cpu");
    }

    /** Runs {@code bin/llama-box} with nothing in its environment but {@code extra}. */
    private static Process start(Path log, Map<String, String> extra, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(image.resolve("bin/llama-box").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(extra);
        return pb.start();
    }

    private static String run(Map<String, String> extra, String... args) throws Exception {
        Path log = Files.createTempFile(dir, "run", ".log");
        Process p = start(log, extra, args);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** The port our server names in its own log line once it listens (it was started on port 0). */
    private static int awaitListening(Process p, Path log) throws Exception {
        Pattern listening = Pattern.compile("listening on http://\\S+:(\\d+)");
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // against a hang, not a measure
        while (true) {
            Matcher m = listening.matcher(Files.readString(log));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            assertTrue(p.isAlive() && System.nanoTime() < guard, Files.readString(log));
            Thread.sleep(50);
        }
    }

    @Test
    void itServesAGeneratedModelFromAnEmptyEnvironmentLikeThePeer() throws Exception {
        Path model = TestModels.llama(dir);
        Path log = dir.resolve("serve.log");
        Process p = start(log, Map.of(), "-m", model.toString(), "-c", "512", "--port", "0");
        try {
            int port = awaitListening(p, log);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int status = 0;
            while (status != 200) {
                assertTrue(p.isAlive() && System.nanoTime() < deadline, Files.readString(log));
                try {
                    status = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode();
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            String body = "{\"prompt\":\"Once upon a time\",\"n_predict\":16,\"temperature\":0}";
            JsonNode ours = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/completion"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(16, ours.get("tokens_predicted").asInt(), ours.toString());
            try (PeerServer peer = PeerServer.start(model, List.of("-c", "512"))) {
                assertEquals(JSON.readTree(peer.post("/completion", body).body()).get("content").asText(),
                        ours.get("content").asText());
            }
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "SIGTERM ends it");
        }
        assertTrue(Files.readString(log).contains("engine stopped") || Files.readString(log).contains("shutting down"),
                Files.readString(log));
    }

    @Test
    void itRunsOnItsOwnPluginsWithItsAotCacheWhereverItIsUnpacked() throws Exception {
        String info = run(Map.of("LLAMABOX_JAVA_OPTS", "-XX:AOTMode=on"), "--system-info");
        assertTrue(info.contains("CPU backend: libggml-cpu-") && info.contains(" from " + image.resolve("lib/ggml/libggml-cpu-")),
                "the image's CPU plugin, chosen by a CPU module:\n" + info);
        String devices = run(Map.of(), "--list-devices");
        assertTrue(devices.matches("(?s).*\n  CPU: .*\\[cpu-avx(2|512) cpu, libggml-cpu-[a-z0-9_]+\\.so].*"), devices);
        assertTrue(devices.contains("  rpc: ggml RPC from " + image.resolve("lib/ggml/libggml-rpc.so")), devices);
        assertFalse(devices.contains("cuda") || devices.contains("vulkan"), "only the CPU and RPC modules are in:\n" + devices);
    }

    @Test
    void itHoldsTheJavaRuntimeTheNativeLibrariesAndNothingOfOtherHardware() throws Exception {
        String version = run(Map.of(), "--version");
        assertTrue(version.startsWith("llama-box version "), version);
        Process list = new ProcessBuilder(image.resolve("bin/java").toString(), "--list-modules").redirectErrorStream(true).start();
        String linked = new String(list.getInputStream().readAllBytes());
        assertTrue(list.waitFor(30, TimeUnit.SECONDS));
        assertTrue(linked.contains("io.llamabox.cli@") && linked.contains("io.llamabox.backend.rpc@")
                && linked.contains("io.llamabox.backend.cpu.avx2@") && linked.contains("simpleclient@"), linked);
        assertFalse(linked.contains("io.llamabox.backend.cuda") || linked.contains("io.llamabox.backend.metal")
                || linked.contains("jdk.compiler"), linked);
        for (String lib : List.of("libllamabox.so", "libllama.so.0", "libggml.so.0", "libggml-base.so.0", "libmtmd.so.0",
                "libllamabox-image.so")) {
            assertTrue(Files.isRegularFile(image.resolve("lib/native").resolve(lib)), lib);
        }
        assertTrue(Files.isRegularFile(image.resolve("lib/llama-box.aot")));
        assertTrue(Files.isRegularFile(image.resolve("lib/ggml/libggml-rpc.so")));
    }

    @Test
    void itGeneratesAnImageWithItsOwnImageEngine() throws Exception {
        Path model = TestModels.sd1(dir);
        Path log = dir.resolve("images.log");
        Process p = start(log, Map.of(), "--images", "-m", model.toString(), "-t", "2", "--port", "0");
        try {
            int port = awaitListening(p, log);
            int status = 0;
            long guard = System.nanoTime() + Duration.ofSeconds(300).toNanos(); // against a hang, not a measure
            while (status != 200) {
                assertTrue(p.isAlive() && System.nanoTime() < guard, Files.readString(log));
                status = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode();
                if (status != 200) {
                    Thread.sleep(100);
                }
            }
            String body = "{\"prompt\":\"a cat\",\"size\":\"256x256\",\"sampling_steps\":2,\"seed\":1}";
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/v1/images/generations")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            byte[] png = Base64.getDecoder().decode(JSON.readTree(r.body()).at("/data/0/b64_json").asText());
            BufferedImage picture = ImageIO.read(new ByteArrayInputStream(png));
            assertEquals(256, picture.getWidth());
            assertEquals(256, picture.getHeight());
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "SIGTERM ends it");
        }
    }
}
