package io.llamabox.server.routes;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llamabox.server.generate.HeldResponse;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.ErrorKind;
import io.llamabox.server.http.JsonBody;
import io.llamabox.server.http.JsonFields;
import io.llamabox.server.http.RequestInfo;
import io.llamabox.server.http.ServerContext;
import io.llamabox.server.images.ImageBodies;
import io.llamabox.server.images.ImageOptions;
import io.llamabox.server.images.ImageRun;
import io.llamabox.server.images.ImageStream;
import io.llamabox.spi.image.ImageEngine;

/**
 * {@code POST /v1/images/generations} (with {@code --images}): OpenAI's image generation with llama-box's
 * Stable Diffusion web UI options, answered as {@code b64_json}, streamed with progress or not.
 * {@code /v1/images/edits} answers 501.
 */
public final class ImagesService implements HttpService {
    private final ServerContext ctx;

    public ImagesService(ServerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v1/images/generations", this::generate);
        rules.post("/v1/images/edits", (req, res) -> {
            throw new ApiException(ErrorKind.NOT_SUPPORTED, "This server does not support image editing");
        });
    }

    private void generate(ServerRequest req, ServerResponse res) throws InterruptedException {
        ImageEngine engine = ctx.model().require().images();
        JsonFields f = new JsonFields(JsonBody.read(req, ctx.config().maxRequestBytes()));
        RequestInfo info = RequestInfo.of(req);
        ImageOptions options = ImageOptions.parse(f, ctx.config().imageLimits(), engine, info.id());
        long created = info.acceptedAtMillis() / 1000;
        try (ImageRun run = ImageRun.submit(engine, options.request())) {
            if (options.stream()) {
                ImageStream.run(run, res, options);
            } else {
                HeldResponse.send(res, run::awaitUntil,
                        () -> ImageBodies.images(created, run.completed().images(), run.completed().usage()));
            }
        }
    }
}
