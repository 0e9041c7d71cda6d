package io.llamabox.cli.launch;

import io.llamabox.config.BoxSettings;
import io.llamabox.server.LlamaBoxServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Our whole server (engines, chat template, HTTP) in the test JVM, configured by a command line. */
final class RunningBox implements AutoCloseable {
    private static boolean backends;
    final ModelEngines engines;
    final LlamaBoxServer server;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    RunningBox(String... args) {
        synchronized (RunningBox.class) {
            if (!backends) {
                Backends.load();
                backends = true;
            }
        }
        BoxSettings s = Main.settings(args);
        engines = ModelEngines.load(s, null);
        server = LlamaBoxServer.start(RuntimeSettings.server(s, "test").toBuilder().port(0).build(), engines.serve(s));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
        engines.close();
    }
}
