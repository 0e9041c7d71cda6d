package io.llamabox.server.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import io.llamabox.server.generate.StreamDriver;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.JsonBody;
import io.llamabox.server.http.JsonFields;
import io.llamabox.server.http.RequestInfo;
import io.llamabox.server.http.ServerContext;
import io.llamabox.spi.GenerationRequest;
import io.llamabox.spi.InfillParts;
import io.llamabox.spi.TextEngine;
import java.util.ArrayList;
import java.util.List;

/**
 * llama.cpp's {@code POST /infill} (with {@code --infill}): code completion between
 * {@code input_prefix} and {@code input_suffix}, with the project's other files in {@code input_extra}
 * ({@code [{"filename": ..., "text": ...}]}) and an optional {@code prompt} that starts the middle. The
 * model's FIM tokens frame the pieces (see {@link TextEngine#infillPrompt}); the rest of the request
 * and the answer are those of {@code POST /completion}.
 */
public final class InfillService implements HttpService {
    private static final List<String> MAX_TOKENS = List.of("n_predict", "max_tokens");

    private final ServerContext ctx;

    public InfillService(ServerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/infill", this::infill);
    }

    private void infill(ServerRequest req, ServerResponse res) throws InterruptedException {
        LoadedModel model = ctx.model().require();
        TextEngine engine = model.engine();
        if (!engine.model().hasFim()) {
            throw ApiException.invalid("Infill is not supported by this model: it has no fill-in-the-middle"
                    + " prefix, suffix and middle tokens");
        }
        double tps = Generations.tokensPerSecond(req, ctx, model);
        JsonFields f = new JsonFields(JsonBody.read(req, ctx.config().maxRequestBytes()));
        int[] prefix = piece(f, "input_prefix", engine);
        int[] suffix = piece(f, "input_suffix", engine);
        List<InfillParts.Chunk> extra = extra(f);
        int[] prompt = engine.tokenize(f.string("prompt", ""), false, true);
        int nProbs = Generations.probabilities(f, "n_probs", ctx);
        GenerationOptions options = GenerationOptions.parse(f, ctx.config(), engine, MAX_TOKENS, nProbs);
        int[] tokens = engine.infillPrompt(new InfillParts(prefix, suffix, extra, prompt, ctx.config().nPredict(),
                ctx.config().spmInfill()));
        Generations.checkChoices(options, 1, ctx);
        List<GenerationRequest> requests = options.requests(RequestInfo.of(req).id(), List.of(tokens), tps);
        LlamaFormat format = new LlamaFormat(Generations.modelName(f, ctx, model), requests, engine);
        try (GenerationRun run = ctx.draining().admit(GenerationRun.submit(engine, requests, options.n()))) {
            if (options.stream()) {
                StreamDriver.run(run, res, format);
                return;
            }
            HeldResponse.send(res, run, all -> {
                List<LlamaBodies.Completion> results = format.completions(all);
                return results.size() == 1 ? results.getFirst() : results;
            });
        }
    }

    /**
     * {@code input_prefix} or {@code input_suffix}: required; a string, or an array mixing strings and
     * token ids. Text is tokenized without special tokens.
     */
    private static int[] piece(JsonFields f, String name, TextEngine engine) {
        JsonNode v = f.get(name);
        if (v == null) {
            throw ApiException.invalid("\"" + name + "\" is required");
        }
        if (v.isTextual()) {
            return engine.tokenize(v.textValue(), false, false);
        }
        if (!v.isArray()) {
            throw f.wrongType(name, "a string or an array of strings and token ids");
        }
        int vocab = engine.vocabularySize();
        List<Integer> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (item.isTextual()) {
                for (int t : engine.tokenize(item.textValue(), false, false)) {
                    out.add(t);
                }
            } else if (item.isNumber()) {
                int id = JsonFields.asInt(item, name);
                if (id < 0 || id >= vocab) {
                    throw ApiException.invalid("\"" + name + "\": token id " + id + " is out of range [0, " + vocab + ")");
                }
                out.add(id);
            } else {
                throw f.wrongType(name, "a string or an array of strings and token ids");
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code input_extra}: an array of {@code {"filename": string, "text": string}}, the name optional. */
    private static List<InfillParts.Chunk> extra(JsonFields f) {
        ArrayNode array = f.array("input_extra").orElse(null);
        if (array == null) {
            return List.of();
        }
        List<InfillParts.Chunk> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            String at = "\"input_extra[" + i + "]\"";
            if (!item.isObject()) {
                throw ApiException.invalid(at + " must be an object with \"filename\" and \"text\"");
            }
            JsonNode text = item.get("text");
            if (text == null || !text.isTextual()) {
                throw ApiException.invalid(at + ".text must be a string");
            }
            JsonNode filename = item.get("filename");
            if (filename != null && !filename.isNull() && !filename.isTextual()) {
                throw ApiException.invalid(at + ".filename must be a string");
            }
            out.add(new InfillParts.Chunk(filename == null || filename.isNull() ? "tmp" : filename.textValue(),
                    text.textValue()));
        }
        return out;
    }
}
