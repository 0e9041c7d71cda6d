package io.llamabox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/** A real server on a free port of 127.0.0.1, with a client for it. */
final class TestServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final ScriptedEngine engine = new ScriptedEngine();
    final RecordingRenderer renderer = new RecordingRenderer();
    final LlamaBoxServer server;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(UnaryOperator<ServerConfig.Builder> config, CompletionStage<LoadedModel> model) {
        server = LlamaBoxServer.start(config.apply(ServerConfig.builder().host("127.0.0.1").port(0)
                .version("test")).build(), model);
    }

    /** A server with the scripted engine already loaded. */
    static TestServer start(UnaryOperator<ServerConfig.Builder> config) {
        return start(config, 0);
    }

    /** A server whose model comes with a decode speed measured at start. */
    static TestServer start(UnaryOperator<ServerConfig.Builder> config, double measuredTokensPerSecond) {
        CompletableFuture<LoadedModel> model = new CompletableFuture<>();
        TestServer s = new TestServer(config, model);
        model.complete(new LoadedModel(s.engine, s.renderer, measuredTokensPerSecond));
        return s;
    }

    static TestServer start() {
        return start(b -> b);
    }

    /** A server whose model arrives when the given stage completes. */
    static TestServer loading(CompletionStage<LoadedModel> model) {
        return new TestServer(b -> b, model);
    }

    /** A server with --images over the scripted image engine, more flags as the config says. */
    static TestServer images(ScriptedImageEngine images, UnaryOperator<ServerConfig.Builder> config) {
        return new TestServer(b -> config.apply(b.endpoints(new EndpointFlags(false, false, false, false, true, false))),
                CompletableFuture.completedFuture(LoadedModel.imagesOnly(images)));
    }

    /** A server over another engine (a Mockito one). */
    static TestServer with(io.llamabox.spi.TextEngine engine, UnaryOperator<ServerConfig.Builder> config) {
        return new TestServer(config, CompletableFuture.completedFuture(new LoadedModel(engine, new RecordingRenderer())));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return send(request(path, headers).GET().build());
    }

    HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
        return send(request(path, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    /** The {@code data:} payloads of an event stream, in order; comments (keep-alives) are skipped. */
    static List<String> events(HttpResponse<String> response) {
        List<String> out = new ArrayList<>();
        for (String block : response.body().split("\n\n")) {
            if (block.startsWith("data: ")) {
                out.add(block.substring("data: ".length()));
            } else if (!block.isBlank() && !block.startsWith(":")) {
                throw new AssertionError("not an SSE data event: " + block);
            }
        }
        return out;
    }

    /** A chat request saying "Hi", with more fields (each starting with a comma) appended. */
    static String chat(String moreFields) {
        return "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]" + moreFields + "}";
    }

    @Override
    public void close() {
        server.close();
    }
}
