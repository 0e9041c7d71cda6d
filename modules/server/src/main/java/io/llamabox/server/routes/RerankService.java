package io.llamabox.server.routes;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llamabox.server.LoadedModel;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.JsonBody;
import io.llamabox.server.http.JsonFields;
import io.llamabox.server.http.RequestInfo;
import io.llamabox.server.http.Responses;
import io.llamabox.server.http.ServerContext;
import io.llamabox.spi.EmbeddingEngine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Jina's {@code POST /v1/rerank} (and {@code /rerank}), with {@code --rerank}: the documents (strings or
 * {@code {"text": ...}}) scored against the query by a ranking model, best first, cut to {@code top_n}.
 * Scores are normalized by default (see {@link RerankScores}); {@code normalize: false} gives the
 * model's raw scores.
 */
public final class RerankService implements HttpService {
    private final ServerContext ctx;

    public RerankService(ServerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v1/rerank", this::rerank);
        rules.post("/rerank", this::rerank);
    }

    private void rerank(ServerRequest req, ServerResponse res) throws Exception {
        LoadedModel model = ctx.model().require();
        EmbeddingEngine engine = model.embeddings();
        if (!engine.ranks()) {
            throw ApiException.invalid("model " + model.description().id() + " does not rank documents: reranking"
                    + " needs a reranker (a model with rank pooling and a classifier head)");
        }
        JsonFields f = new JsonFields(JsonBody.read(req, ctx.config().maxRequestBytes()));
        String query = f.string("query").orElseThrow(() -> ApiException.invalid("\"query\" is required"));
        List<String> documents = documents(f);
        int topN = f.integer("top_n", documents.size());
        if (topN < 1) {
            throw ApiException.invalid("\"top_n\" must be at least 1, got " + topN);
        }
        boolean returnDocuments = f.bool("return_documents", true);
        boolean normalize = f.bool("normalize", true);

        int max = engine.maxInputTokens();
        List<int[]> inputs = new ArrayList<>(documents.size() + 2);
        int tokens = 0;
        for (int i = 0; i < documents.size(); i++) {
            int[] pair = engine.rankingPair(query, documents.get(i));
            if (pair.length > max) {
                throw ApiException.invalid("the query with document " + i + " is " + pair.length
                        + " tokens long; at most " + max + " fit");
            }
            inputs.add(pair);
            tokens += pair.length;
        }
        if (normalize) {
            int[] upper = engine.rankingPair(query, query);
            int[] lower = engine.rankingFloor(query);
            if (upper.length > max || lower.length > max) {
                throw ApiException.invalid("the query is too long to normalize scores: paired with itself it is "
                        + upper.length + " tokens long, and at most " + max + " fit; send a shorter query or"
                        + " \"normalize\": false");
            }
            inputs.add(upper);
            inputs.add(lower);
        }
        List<float[]> out = engine.embed(RequestInfo.of(req).id(), inputs).get();
        double[] scores = new double[documents.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = out.get(i)[0];
        }
        if (normalize) {
            int best = 0;
            for (int i = 1; i < scores.length; i++) {
                if (scores[i] > scores[best]) {
                    best = i;
                }
            }
            scores = RerankScores.normalize(scores, out.get(scores.length)[0], out.get(scores.length + 1)[0],
                    documents.get(best).equals(query));
        }
        List<Result> results = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            results.add(new Result(i, scores[i], returnDocuments ? new Document(documents.get(i)) : null));
        }
        results.sort(Comparator.comparingDouble(Result::relevanceScore).reversed());
        String name = f.string("model").orElseGet(() -> ctx.config().modelName(model.description().id()));
        Responses.json(res, new Ranking(name, "list", new Usage(tokens, tokens),
                List.copyOf(results.subList(0, Math.min(topN, results.size())))));
    }

    private static List<String> documents(JsonFields f) {
        ArrayNode array = f.array("documents").orElseThrow(() -> ApiException.invalid("\"documents\" is required"));
        if (array.isEmpty()) {
            throw ApiException.invalid("\"documents\" must not be empty");
        }
        List<String> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode d = array.get(i);
            JsonNode text = d.isObject() ? d.get("text") : d;
            if (text == null || !text.isTextual()) {
                throw ApiException.invalid("\"documents[" + i + "]\" must be a string or an object with a string"
                        + " \"text\"");
            }
            out.add(text.textValue());
        }
        return out;
    }

    record Ranking(String model, String object, Usage usage, List<Result> results) {
    }

    record Result(int index, double relevanceScore, @JsonInclude(JsonInclude.Include.NON_NULL) Document document) {
    }

    record Document(String text) {
    }

    record Usage(int promptTokens, int totalTokens) {
    }
}
