package io.llamabox.server.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llamabox.server.LoadedModel;
import io.llamabox.server.generate.LoraScales;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.ErrorKind;
import io.llamabox.server.http.Json;
import io.llamabox.server.http.Responses;
import io.llamabox.server.http.ServerContext;
import io.llamabox.spi.LoraAdapterInfo;
import io.llamabox.spi.TextEngine;
import java.io.IOException;
import java.util.List;

/**
 * {@code GET /lora-adapters}: the LoRA adapters loaded with {@code --lora}/{@code --lora-scaled}, as
 * {@code [{"id", "path", "scale"}]}. {@code POST /lora-adapters} (with {@code --lora-init-without-apply})
 * sets the scales of new requests: {@code [{"id", "scale"}]}, adapters left out or at scale 0 are off.
 * An image model lists its adapters; its requests set their own scales.
 */
public final class LoraAdaptersService implements HttpService {
    private final ServerContext ctx;

    public LoraAdaptersService(ServerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/lora-adapters", this::list);
        rules.post("/lora-adapters", this::apply);
    }

    private TextEngine engineWithAdapters() {
        TextEngine engine = ctx.model().require().engine();
        if (engine.loraAdapters().isEmpty()) {
            throw noAdapters();
        }
        return engine;
    }

    private static ApiException noAdapters() {
        return new ApiException(ErrorKind.NOT_SUPPORTED,
                "This server has no LoRA adapters. Start it with `--lora` or `--lora-scaled`");
    }

    private void list(ServerRequest req, ServerResponse res) {
        LoadedModel model = ctx.model().require();
        if (model.generatesImages()) {
            List<LoraAdapterInfo> adapters = model.images().loraAdapters();
            if (adapters.isEmpty()) {
                throw noAdapters();
            }
            Responses.json(res, adapters(adapters));
            return;
        }
        Responses.json(res, adapters(engineWithAdapters().loraAdapters()));
    }

    private void apply(ServerRequest req, ServerResponse res) throws IOException {
        if (ctx.model().require().generatesImages()) {
            throw new ApiException(ErrorKind.NOT_SUPPORTED,
                    "The LoRA scales of an image model are set per request, with \"lora\"");
        }
        TextEngine engine = engineWithAdapters();
        if (!ctx.config().loraInitWithoutApply()) {
            throw new ApiException(ErrorKind.NOT_SUPPORTED,
                    "This server does not change LoRA scales. Start it with `--lora-init-without-apply`");
        }
        if (!req.content().hasEntity()) {
            throw ApiException.invalid("the request needs a JSON array of {\"id\", \"scale\"}");
        }
        byte[] body = req.content().inputStream().readNBytes((int) Math.min(ctx.config().maxRequestBytes(), 1 << 20));
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("the body is not valid JSON: " + e.getOriginalMessage());
        }
        engine.setLoraScales(LoraScales.parse(node, "body"));
        Responses.json(res, new Success(true));
    }

    private static List<Adapter> adapters(List<LoraAdapterInfo> infos) {
        return infos.stream().map(a -> new Adapter(a.id(), a.path(), a.scale())).toList();
    }

    record Adapter(int id, String path, float scale) {
    }

    record Success(boolean success) {
    }
}
