package io.llamabox.server.routes;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llamabox.server.generate.HeldResponse;
import io.llamabox.server.http.JsonBody;
import io.llamabox.server.http.JsonFields;
import io.llamabox.server.http.MultipartForm;
import io.llamabox.server.http.RequestInfo;
import io.llamabox.server.http.ServerContext;
import io.llamabox.server.images.EditForm;
import io.llamabox.server.images.ImageBodies;
import io.llamabox.server.images.ImageOptions;
import io.llamabox.server.images.ImageRun;
import io.llamabox.server.images.ImageStream;
import io.llamabox.spi.image.ImageEngine;

/**
 * {@code POST /v1/images/generations} and {@code POST /v1/images/edits} (with {@code --images}): OpenAI's image
 * generation and editing (a JSON body, a multipart form) with llama-box's Stable Diffusion web UI options, answered
 * as {@code b64_json}, streamed with progress or not.
 */
public final class ImagesService implements HttpService {
    private final ServerContext ctx;

    public ImagesService(ServerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v1/images/generations", this::generate);
        rules.post("/v1/images/edits", this::edit);
    }

    private void generate(ServerRequest req, ServerResponse res) throws InterruptedException {
        ImageEngine engine = ctx.model().require().images();
        JsonFields f = new JsonFields(JsonBody.read(req, ctx.config().maxRequestBytes()));
        RequestInfo info = RequestInfo.of(req);
        serve(res, info, ImageOptions.parse(f, ctx.config().imageLimits(), engine, info.id()), engine);
    }

    private void edit(ServerRequest req, ServerResponse res) throws InterruptedException {
        ImageEngine engine = ctx.model().require().images();
        byte[] body = JsonBody.bytes(req, ctx.config().maxRequestBytes(), "a multipart/form-data body");
        MultipartForm form = MultipartForm.parse(req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null), body);
        RequestInfo info = RequestInfo.of(req);
        serve(res, info, ImageOptions.parseEdit(EditForm.of(form), ctx.config().imageLimits(), engine, info.id()),
                engine);
    }

    private void serve(ServerResponse res, RequestInfo info, ImageOptions options, ImageEngine engine)
            throws InterruptedException {
        long created = info.acceptedAtMillis() / 1000;
        try (ImageRun run = ctx.draining().admit(ImageRun.submit(engine, options.request()))) {
            if (options.stream()) {
                ImageStream.run(run, res, options);
            } else {
                HeldResponse.send(res, run::awaitUntil,
                        () -> ImageBodies.images(created, run.completed().images(), run.completed().usage()));
            }
        }
    }
}
