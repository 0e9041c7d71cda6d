package io.llamabox.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * A server started from a runtime image (on port 0) and the requests the image tests send it: it is
 * stopped with SIGTERM on close, and must end by itself.
 */
final class RunningServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern LISTENING = Pattern.compile("listening on http://\\S+:(\\d+)");

    private final Process process;
    private final Path log;
    private final int port;

    /** Waits for the port in the server's own log line, then for /health to answer 200 (the model loaded). */
    RunningServer(Process process, Path log) throws Exception {
        this.process = process;
        this.log = log;
        long guard = System.nanoTime() + Duration.ofSeconds(300).toNanos(); // against a hang, not a measure
        Integer found = null;
        while (found == null) {
            Matcher m = LISTENING.matcher(Files.readString(log));
            if (m.find()) {
                found = Integer.parseInt(m.group(1));
            } else {
                assertTrue(process.isAlive() && System.nanoTime() < guard, log());
                Thread.sleep(50);
            }
        }
        port = found;
        while (get("/health").statusCode() != 200) {
            assertTrue(process.isAlive() && System.nanoTime() < guard, log());
            Thread.sleep(100);
        }
    }

    /** The real user id the server runs as (the process that was started: every step before it exec'ed). */
    int uid() throws IOException {
        Matcher m = Pattern.compile("(?m)^Uid:\\s+(\\d+)").matcher(Files.readString(Path.of("/proc/" + process.pid() + "/status")));
        assertTrue(m.find());
        return Integer.parseInt(m.group(1));
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** A chat completion of {@code tokens} tokens, greedy: its text. */
    String chat(int tokens) throws Exception {
        JsonNode r = post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],"
                + "\"max_tokens\":" + tokens + ",\"temperature\":0}");
        assertEquals(tokens, r.at("/usage/completion_tokens").asInt(), r.toString());
        return r.at("/choices/0/message/content").asText();
    }

    /** An embedding of a short text: its vector's length (the model's width). */
    int embedding() throws Exception {
        JsonNode r = post("/v1/embeddings", "{\"input\":\"Once upon a time\"}");
        JsonNode vector = r.at("/data/0/embedding");
        assertTrue(vector.isArray() && !vector.isEmpty(), r.toString());
        for (JsonNode x : vector) {
            assertTrue(Double.isFinite(x.asDouble()), r.toString());
        }
        return vector.size();
    }

    /** A generated picture of {@code size}x{@code size} pixels in {@code steps} steps, decoded from the PNG. */
    BufferedImage image(int size, int steps) throws Exception {
        JsonNode r = post("/v1/images/generations", "{\"prompt\":\"a cat\",\"size\":\"" + size + "x" + size
                + "\",\"sampling_steps\":" + steps + ",\"seed\":1}");
        byte[] png = Base64.getDecoder().decode(r.at("/data/0/b64_json").asText());
        BufferedImage picture = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(size, picture.getWidth());
        assertEquals(size, picture.getHeight());
        return picture;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "SIGTERM ends it:\n" + log());
    }
}
