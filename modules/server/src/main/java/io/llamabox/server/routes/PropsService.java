package io.llamabox.server.routes;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llamabox.server.LoadedModel;
import io.llamabox.server.generate.GenerationSettingsBody;
import io.llamabox.server.http.Responses;
import io.llamabox.server.http.ServerContext;
import io.llamabox.spi.ModelDescription;
import io.llamabox.spi.image.ImageModel;

/**
 * {@code GET /props}: the chat template, the settings a request starts from (with each slot's context
 * size), and the number of slots. {@code n_ctx} is the whole context, {@code n_ctx_per_slot} each slot's share.
 * For an image model: the settings an image request starts from, the model's family and the limits.
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
        LoadedModel loaded = ctx.model().require();
        if (loaded.generatesImages()) {
            ImageModel model = loaded.images().model();
            ImageModelBody image = ImageModelBody.of(model, ctx.config().imageLimits());
            Responses.json(res, new ImageProps(image.defaultGenerationSettings(), ctx.config().modelName(loaded.id()),
                    model.path(), model.family(), image.maxBatch(), image.maxWidth(), image.maxHeight(),
                    "llama-box/" + ctx.config().version()));
            return;
        }
        ModelDescription m = loaded.description();
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

    record ImageProps(ImageModelBody.ImageSettings defaultGenerationSettings, String modelAlias, String modelPath,
                      String modelFamily, int maxBatch, int maxWidth, int maxHeight, String buildInfo) {
    }
}
