package io.llamabox.server;

import io.helidon.common.concurrency.limits.FixedLimit;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.llamabox.server.connection.HttpVersionSelector;
import io.llamabox.server.http.ModelGate;
import io.llamabox.server.http.RequestFilter;
import io.llamabox.server.http.Responses;
import io.llamabox.server.http.ServerContext;
import io.llamabox.server.routes.ChatService;
import io.llamabox.server.routes.CompletionsService;
import io.llamabox.server.routes.EmbeddingsService;
import io.llamabox.server.routes.HealthService;
import io.llamabox.server.routes.ImagesService;
import io.llamabox.server.routes.InfillService;
import io.llamabox.server.routes.LoraAdaptersService;
import io.llamabox.server.routes.MetricsService;
import io.llamabox.server.routes.ModelsService;
import io.llamabox.server.routes.NotFound;
import io.llamabox.server.routes.PropsService;
import io.llamabox.server.routes.RerankService;
import io.llamabox.server.routes.SlotsService;
import io.llamabox.server.routes.SwitchedOffEndpoints;
import io.llamabox.server.routes.TokenizeService;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LLaMA Box HTTP server. It can start before the model is loaded: requests that need the model
 * get 503 "Loading model" until the {@code model} stage completes.
 *
 * <pre>{@code
 * var model = new CompletableFuture<LoadedModel>();
 * try (var server = LlamaBoxServer.start(config, model)) {
 *     model.complete(new LoadedModel(engine, renderer));
 *     ...
 * }
 * }</pre>
 */
public final class LlamaBoxServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LlamaBoxServer.class);

    /** Requests that may wait for a turn when {@code --threads-http} limits how many run at once. */
    private static final int QUEUED_REQUESTS = 1024;

    private final WebServer server;
    private final ServerContext ctx;

    private LlamaBoxServer(WebServer server, ServerContext ctx) {
        this.server = server;
        this.ctx = ctx;
    }

    /** Starts listening now; the model arrives when {@code model} completes. */
    public static LlamaBoxServer start(ServerConfig config, CompletionStage<LoadedModel> model) {
        ServerContext ctx = new ServerContext(config, new ModelGate(model));
        var builder = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .shutdownHook(false)
                // Streamed tokens are small writes: without TCP_NODELAY, Nagle's algorithm holds each one back
                // until the client acknowledges the previous one (the peer llama-server sets it too).
                .connectionOptions(o -> o.readTimeout(config.timeout()).tcpNoDelay(true))
                .idleConnectionPeriod(config.connectionIdle())
                // HTTP/1.0 clients (ApacheBench, HAProxy's health checks, nginx's default proxying) are served
                .addConnectionSelector(new HttpVersionSelector())
                .routing(r -> routes(r, ctx));
        if (!config.connectionKeepAlive().isZero()) {
            builder.idleConnectionTimeout(config.connectionKeepAlive());
        }
        if (config.httpThreads() > 0) {
            // Like llama-box's HTTP thread pool: that many requests at once, the others wait their turn.
            builder.concurrencyLimit(FixedLimit.builder().permits(config.httpThreads())
                    .queueLength(QUEUED_REQUESTS).queueTimeout(config.timeout()).build());
        }
        WebServer server = builder.build().start();
        LOG.info("listening on {}:{}", config.host(), server.port());
        return new LlamaBoxServer(server, ctx);
    }

    /** Starts listening with a model that is already loaded. */
    public static LlamaBoxServer start(ServerConfig config, LoadedModel model) {
        return start(config, CompletableFuture.completedFuture(model));
    }

    /** The API, one service per family; the filter runs around all of them. */
    private static void routes(HttpRouting.Builder routing, ServerContext ctx) {
        ServerConfig config = ctx.config();
        routing.addFilter(new RequestFilter(config, ctx.draining()))
                .register(new HealthService(ctx))           // GET  /health
                .register(new ModelsService(ctx))           // GET  /v1/models
                .register(new PropsService(ctx))            // GET  /props
                .register(new TokenizeService(ctx))         // POST /tokenize, /detokenize
                .register(new CompletionsService(ctx))      // POST /v1/completions, /completion
                .register(new ChatService(ctx));            // POST /v1/chat/completions
        EndpointFlags on = config.endpoints();
        if (on.slots()) {
            routing.register(new SlotsService(ctx));        // GET  /slots
        }
        if (on.embeddings() || on.rerank()) {
            routing.register(new EmbeddingsService(ctx));   // POST /v1/embeddings, /embeddings
        }
        if (on.rerank()) {
            routing.register(new RerankService(ctx));       // POST /v1/rerank, /rerank
        }
        if (on.infill()) {
            routing.register(new InfillService(ctx));       // POST /infill
        }
        if (on.images()) {
            routing.register(new ImagesService(ctx));       // POST /v1/images/generations
        }
        if (on.metrics()) {
            routing.register(new MetricsService(ctx));      // GET  /metrics
        }
        routing.register(new LoraAdaptersService(ctx));     // GET, POST /lora-adapters (501 without adapters)
        routing.register(new SwitchedOffEndpoints(config.endpoints(), config.slotSavePath())) // 501 naming the flag
                .any(new NotFound())                        // 404 for the rest
                .error(Throwable.class, (req, res, failure) -> Responses.error(res, failure));
    }

    /** The port listened on (the chosen one when the configuration said 0). */
    public int port() {
        return server.port();
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /**
     * Drains the server before {@link #close()} (on SIGTERM or SIGINT): {@code /health} and every new
     * request get 503 with {@code Retry-After} at once, generations waiting for a slot are cancelled (503),
     * running ones may go on for {@code grace} and then end with an error event and {@code [DONE]} (a
     * non-streamed one: a 503 body). Returns when every request has been answered.
     */
    public void drain(Duration grace) throws InterruptedException {
        ctx.draining().drain(grace);
    }

    /** Stops listening; generations of open requests are cancelled as their connections close. */
    @Override
    public void close() {
        server.stop();
    }
}
