package io.llamabox.server.routes;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llamabox.server.generate.GenerationSettingsBody;
import io.llamabox.server.http.Responses;
import io.llamabox.server.http.ServerContext;
import io.llamabox.spi.ModelDescription;

/**
 * {@code GET /props}: the chat template, the settings a request starts from (with each slot's context
 * size), and the number of slots. {@code n_ctx} is the whole context, {@code n_ctx_per_slot} each slot's share.
 */
public final class PropsService implements HttpService {
    private final ServerContext ctx;

    public PropsService(ServerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/props", this::props);
    }

    private void props(ServerRequest req, ServerResponse res) {
        ModelDescription m = ctx.model().require().description();
        Responses.json(res, new Props(
                new DefaultSettings(m.nCtxPerSlot(), GenerationSettingsBody.defaults(ctx.config())),
                m.slots(), m.chatTemplate(), ctx.config().modelName(m.id()), m.path(), m.bosToken(), m.eosToken(),
                m.nCtx(), m.nCtxPerSlot(), "llama-box/" + ctx.config().version()));
    }

    record Props(DefaultSettings defaultGenerationSettings, int totalSlots, String chatTemplate, String modelAlias,
                 String modelPath, String bosToken, String eosToken, int nCtx, int nCtxPerSlot, String buildInfo) {
    }

    record DefaultSettings(int nCtx, GenerationSettingsBody params) {
    }
}
