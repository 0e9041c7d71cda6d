package io.llamabox.server.routes;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * OpenAI's {@code POST /v1/embeddings} (and {@code /embeddings}), with {@code --embeddings} or
 * {@code --rerank}. {@code input} is a string, an array of strings, an array of token ids, or an array
 * of token arrays; every input gets one L2-normalized vector, as floats or (with
 * {@code encoding_format: "base64"}) as the base64 of its little-endian float32 bytes.
 */
public final class EmbeddingsService implements HttpService {
    private final ServerContext ctx;

    public EmbeddingsService(ServerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v1/embeddings", this::embeddings);
        rules.post("/embeddings", this::embeddings);
    }

    private void embeddings(ServerRequest req, ServerResponse res) throws Exception {
        LoadedModel model = ctx.model().require();
        EmbeddingEngine engine = model.embeddings();
        JsonFields f = new JsonFields(JsonBody.read(req, ctx.config().maxRequestBytes()));
        String format = f.string("encoding_format", "float");
        boolean base64 = switch (format) {
            case "float" -> false;
            case "base64" -> true;
            default -> throw ApiException.invalid("\"encoding_format\" must be \"float\" or \"base64\", got \"" + format + "\"");
        };
        JsonNode input = f.has("input") ? f.get("input") : f.get("content");
        List<int[]> inputs = inputs(input, engine);
        List<float[]> vectors = engine.embed(RequestInfo.of(req).id(), inputs).get();
        var dimensions = f.integer("dimensions");
        if (dimensions.isPresent() && dimensions.get() != vectors.getFirst().length) {
            throw ApiException.invalid("\"dimensions\" must be " + vectors.getFirst().length
                    + " (this model's embedding width), got " + dimensions.get());
        }
        List<Item> data = new ArrayList<>(vectors.size());
        int tokens = 0;
        for (int i = 0; i < vectors.size(); i++) {
            float[] v = normalized(vectors.get(i));
            data.add(new Item("embedding", i, base64 ? base64(v) : v));
            tokens += inputs.get(i).length;
        }
        String name = f.string("model").orElseGet(() -> ctx.config().modelName(model.description().id()));
        Responses.json(res, new EmbeddingList("list", data, name, new Usage(tokens, tokens)));
    }

    /** The inputs as tokens: text gets the model's special tokens, token arrays are taken as they are. */
    static List<int[]> inputs(JsonNode input, EmbeddingEngine engine) {
        if (input == null) {
            throw ApiException.invalid("\"input\" is required");
        }
        if (input.isTextual()) {
            return List.of(engine.tokenize(input.textValue(), true, true));
        }
        if (!input.isArray()) {
            throw notAnInput();
        }
        if (input.isEmpty()) {
            throw ApiException.invalid("\"input\" must not be an empty array");
        }
        JsonNode first = input.get(0);
        List<int[]> out = new ArrayList<>(input.size());
        if (first.isNumber()) {
            out.add(tokenIds(input, "input"));
            return out;
        }
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            if (first.isTextual() && item.isTextual()) {
                out.add(engine.tokenize(item.textValue(), true, true));
            } else if (first.isArray() && item.isArray()) {
                if (item.isEmpty()) {
                    throw ApiException.invalid("\"input[" + i + "]\" must not be an empty token array");
                }
                out.add(tokenIds(item, "input[" + i + "]"));
            } else {
                throw notAnInput();
            }
        }
        return out;
    }

    private static int[] tokenIds(JsonNode array, String what) {
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode t = array.get(i);
            if (!t.isNumber()) {
                throw notAnInput();
            }
            ids[i] = JsonFields.asInt(t, what + "[" + i + "]");
        }
        return ids;
    }

    private static ApiException notAnInput() {
        return ApiException.invalid("\"input\" must be a string, an array of strings, an array of token ids,"
                + " or an array of token arrays");
    }

    /** The vector scaled to unit Euclidean length (a zero vector stays zero). */
    static float[] normalized(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        double norm = Math.sqrt(sum);
        float scale = norm > 0 ? (float) (1.0 / norm) : 0f;
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * scale;
        }
        return out;
    }

    /** The base64 of the floats as little-endian float32, what OpenAI's {@code base64} format holds. */
    static String base64(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    record EmbeddingList(String object, List<Item> data, String model, Usage usage) {
    }

    /** One input's vector: a float array, or a base64 string. */
    record Item(String object, int index, Object embedding) {
    }

    record Usage(int promptTokens, int totalTokens) {
    }
}
