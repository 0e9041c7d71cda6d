package io.llamabox.server.routes;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llamabox.server.LoadedModel;
import io.llamabox.server.generate.GenerationOptions;
import io.llamabox.server.generate.GenerationRun;
import io.llamabox.server.generate.HeldResponse;
import io.llamabox.server.generate.LlamaBodies;
import io.llamabox.server.generate.LlamaFormat;
import io.llamabox.server.generate.Prompts;
import io.llamabox.server.generate.StreamDriver;
import io.llamabox.server.generate.TextFormat;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.JsonBody;
import io.llamabox.server.http.JsonFields;
import io.llamabox.server.http.RequestInfo;
import io.llamabox.server.http.ServerContext;
import io.llamabox.spi.GenerationRequest;
import io.llamabox.spi.TextEngine;
import java.util.List;

/**
 * Text completion: OpenAI's legacy {@code POST /v1/completions} (and {@code /completions}) and
 * llama.cpp's {@code POST /completion}, streamed or not.
 */
public final class CompletionsService implements HttpService {
    private static final List<String> OPENAI_MAX_TOKENS = List.of("max_tokens", "n_predict");
    private static final List<String> LLAMA_MAX_TOKENS = List.of("n_predict", "max_tokens");

    private final ServerContext ctx;

    public CompletionsService(ServerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v1/completions", this::openAi);
        rules.post("/completions", this::openAi);
        rules.post("/completion", this::llama);
    }

    private void openAi(ServerRequest req, ServerResponse res) throws InterruptedException {
        Parsed p = parse(req, OPENAI_MAX_TOKENS, "logprobs");
        if (p.fields.bool("echo", false)) {
            throw ApiException.invalid("\"echo\" is not supported");
        }
        int logprobs = p.fields.has("logprobs") ? p.fields.integer("logprobs", 0) : -1;
        RequestInfo info = RequestInfo.of(req);
        TextFormat format = new TextFormat(Generations.newId("cmpl-"), info.acceptedAtMillis() / 1000,
                Generations.modelName(p.fields, ctx, p.model), logprobs, p.options.includeUsage(), p.requests.size());
        try (GenerationRun run = ctx.draining().admit(
                GenerationRun.submit(p.model.engine(), p.requests, p.options.n()))) {
            if (p.options.stream()) {
                StreamDriver.run(run, res, format);
            } else {
                HeldResponse.send(res, run, format::completion);
            }
        }
    }

    private void llama(ServerRequest req, ServerResponse res) throws InterruptedException {
        Parsed p = parse(req, LLAMA_MAX_TOKENS, "n_probs");
        LlamaFormat format = new LlamaFormat(Generations.modelName(p.fields, ctx, p.model), p.requests,
                p.model.engine());
        try (GenerationRun run = ctx.draining().admit(
                GenerationRun.submit(p.model.engine(), p.requests, p.options.n()))) {
            if (p.options.stream()) {
                StreamDriver.run(run, res, format);
                return;
            }
            HeldResponse.send(res, run, all -> {
                List<LlamaBodies.Completion> results = format.completions(all);
                return results.size() == 1 ? results.getFirst() : results;
            });
        }
    }

    private Parsed parse(ServerRequest req, List<String> maxTokenFields, String probabilitiesField) {
        LoadedModel model = ctx.model().require();
        TextEngine engine = model.engine();
        double tps = Generations.tokensPerSecond(req, ctx, model);
        JsonFields f = new JsonFields(JsonBody.read(req, ctx.config().maxRequestBytes()));
        int nProbs = Generations.probabilities(f, probabilitiesField, ctx);
        if (probabilitiesField.equals("logprobs") && f.has("logprobs")) {
            nProbs = Math.max(nProbs, 1);
        }
        GenerationOptions options = GenerationOptions.parse(f, ctx.config(), engine, maxTokenFields, nProbs);
        List<int[]> prompts = Prompts.completion(f.get("prompt"), engine);
        Generations.checkChoices(options, prompts.size(), ctx);
        return new Parsed(model, f, options, options.requests(RequestInfo.of(req).id(), prompts, tps));
    }

    private record Parsed(LoadedModel model, JsonFields fields, GenerationOptions options,
                          List<GenerationRequest> requests) {
    }
}
