package io.llamabox.server.routes;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llamabox.server.LoadedModel;
import io.llamabox.server.http.Responses;
import io.llamabox.server.http.ServerContext;
import io.llamabox.spi.ModelDescription;
import java.util.List;

/**
 * {@code GET /v1/models} (and {@code /models}): OpenAI's model list, with llama.cpp's {@code meta} (for an
 * image model: its family, default settings and limits).
 */
public final class ModelsService implements HttpService {
    private final ServerContext ctx;

    public ModelsService(ServerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v1/models", this::models);
        rules.get("/models", this::models);
    }

    private void models(ServerRequest req, ServerResponse res) {
        LoadedModel loaded = ctx.model().require();
        if (loaded.generatesImages()) {
            Model model = new Model(ctx.config().modelName(loaded.id()), "model", ctx.startedEpochSeconds(),
                    "llama-box", ImageModelBody.of(loaded.images().model(), ctx.config().imageLimits()));
            Responses.json(res, new ModelList("list", List.of(model)));
            return;
        }
        ModelDescription m = loaded.description();
        Meta meta = new Meta(m.nVocab(), m.nCtxTrain(), m.nEmbd(), m.parameterCount(), m.sizeBytes(), m.nCtx(),
                m.nCtxPerSlot());
        Model model = new Model(ctx.config().modelName(m.id()), "model", ctx.startedEpochSeconds(), "llama-box",
                meta);
        Responses.json(res, new ModelList("list", List.of(model)));
    }

    record ModelList(String object, List<Model> data) {
    }

    /** {@code meta}: a {@link Meta} for a text model, an {@link ImageModelBody} for an image model. */
    record Model(String id, String object, long created, String ownedBy, Object meta) {
    }

    record Meta(int nVocab, int nCtxTrain, int nEmbd, long nParams, long size, int nCtx, int nCtxPerSlot) {
    }
}
