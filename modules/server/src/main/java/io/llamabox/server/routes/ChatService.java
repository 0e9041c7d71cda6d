package io.llamabox.server.routes;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llamabox.server.LoadedModel;
import io.llamabox.server.generate.ChatFormat;
import io.llamabox.server.generate.ChatRequest;
import io.llamabox.server.generate.ChatStructure;
import io.llamabox.server.generate.GenerationOptions;
import io.llamabox.server.generate.GenerationRun;
import io.llamabox.server.generate.HeldResponse;
import io.llamabox.server.generate.StreamDriver;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.JsonBody;
import io.llamabox.server.http.JsonFields;
import io.llamabox.server.http.RequestInfo;
import io.llamabox.server.http.ServerContext;
import io.llamabox.server.vision.ChatImages;
import io.llamabox.server.vision.ChatPrompt;
import io.llamabox.server.vision.ImageFetcher;
import io.llamabox.spi.TextEngine;
import java.util.List;

/**
 * {@code POST /v1/chat/completions} (and {@code /chat/completions}): OpenAI chat, streamed or not, with
 * tools ({@code tool_choice}, {@code parallel_tool_calls}) and structured output ({@code response_format}).
 */
public final class ChatService implements HttpService {
    private static final List<String> MAX_TOKEN_FIELDS = List.of("max_completion_tokens", "max_tokens", "n_predict");

    private final ServerContext ctx;

    public ChatService(ServerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v1/chat/completions", this::chat);
        rules.post("/chat/completions", this::chat);
    }

    private void chat(ServerRequest req, ServerResponse res) throws InterruptedException {
        LoadedModel model = ctx.model().require();
        TextEngine engine = model.engine();
        double tps = Generations.tokensPerSecond(req, ctx, model);
        JsonFields f = new JsonFields(JsonBody.read(req, ctx.config().maxRequestBytes()));
        ChatImages images = ChatImages.take(f, engine); // image_url parts become the engine's image marker
        ChatRequest chat = ChatRequest.parse(f, ctx.config().maxProbabilities());
        GenerationOptions options = GenerationOptions.parse(f, ctx.config(), engine, MAX_TOKEN_FIELDS, chat.nProbs());
        ChatStructure structure = ChatStructure.of(chat, f, model.renderer().toolCallFormat(), options.sampling());
        options = options.withSampling(structure.sampling());
        if (structure.readsToolCalls()) {
            // markers such as <|python_tag|> or [TOOL_CALLS] are special tokens: the parser must see them
            options = options.withReturnSpecial(true);
        }
        Generations.checkChoices(options, 1, ctx);
        String rendered = render(model, chat);

        RequestInfo info = RequestInfo.of(req);
        ChatFormat format = new ChatFormat(Generations.newId("chatcmpl-"), info.acceptedAtMillis() / 1000,
                Generations.modelName(f, ctx, model), chat, structure, options.includeUsage(), options.choices(1));
        ChatPrompt prompt = ChatPrompt.of(rendered, images, ImageFetcher.of(ctx.config()), engine);
        try (prompt; GenerationRun run = ctx.draining().admit(GenerationRun.submit(engine,
                options.requests(info.id(), List.of(prompt.tokens()), tps), options.n(), prompt.media()))) {
            if (options.stream()) {
                StreamDriver.run(run, res, format);
            } else {
                HeldResponse.send(res, run, format::completion);
            }
        }
    }

    private static String render(LoadedModel model, ChatRequest chat) {
        try {
            return model.renderer().render(chat.messages(), chat.tools(), chat.addGenerationPrompt(),
                    chat.templateKwargs());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("the chat template cannot render these messages: " + e.getMessage());
        }
    }
}
