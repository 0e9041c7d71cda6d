package io.llamabox.server.routes;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llamabox.server.http.Responses;
import io.llamabox.server.http.ServerContext;

/** {@code GET /health}: 503 "Loading model" until the model is ready, then {@code {"status":"ok"}}. */
public final class HealthService implements HttpService {
    private final ServerContext ctx;

    public HealthService(ServerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health", this::health);
    }

    private void health(ServerRequest req, ServerResponse res) {
        ctx.model().require();
        Responses.json(res, new Health("ok"));
    }

    record Health(String status) {
    }
}
