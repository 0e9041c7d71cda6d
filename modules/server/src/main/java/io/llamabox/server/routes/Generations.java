package io.llamabox.server.routes;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.llamabox.server.LoadedModel;
import io.llamabox.server.generate.GenerationOptions;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.JsonFields;
import io.llamabox.server.http.ServerContext;
import io.llamabox.server.http.TokenRate;
import java.util.UUID;

/** What the generating endpoints share: the model name they report, pacing, ids, and the choice limit. */
final class Generations {
    private Generations() {
    }

    /** The request's {@code model} when it names one (as llama.cpp echoes it), else the server's model name. */
    static String modelName(JsonFields f, ServerContext ctx, LoadedModel model) {
        return f.string("model").orElseGet(() -> ctx.config().modelName(model.engine().model().id()));
    }

    static double tokensPerSecond(ServerRequest req, ServerContext ctx, LoadedModel model) {
        return ctx.tokenRate().resolve(req.headers().first(HeaderNames.create(TokenRate.HEADER)), model);
    }

    static void checkChoices(GenerationOptions options, int prompts, ServerContext ctx) {
        int max = ctx.config().maxChoices();
        if (options.choices(prompts) > max) {
            throw ApiException.invalid("this request asks for " + options.choices(prompts) + " choices (\"n\" "
                    + options.n() + " times " + prompts + " prompts); the most is " + max);
        }
    }

    static String newId(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "");
    }

    static int probabilities(JsonFields f, String name, ServerContext ctx) {
        int v = f.integer(name, 0);
        int max = ctx.config().maxProbabilities();
        if (v < 0 || v > max) {
            throw ApiException.invalid("\"" + name + "\" must be in [0, " + max + "], got " + v);
        }
        return v;
    }
}
