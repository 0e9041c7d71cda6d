package io.llamabox.server.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.JsonBody;
import io.llamabox.server.http.JsonFields;
import io.llamabox.server.http.Responses;
import io.llamabox.server.http.ServerContext;
import io.llamabox.spi.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /tokenize} ({@code content}, {@code add_special}, {@code with_pieces}) and
 * {@code POST /detokenize} ({@code tokens}, each checked against the vocabulary).
 */
public final class TokenizeService implements HttpService {
    private final ServerContext ctx;

    public TokenizeService(ServerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/tokenize", this::tokenize);
        rules.post("/detokenize", this::detokenize);
    }

    private void tokenize(ServerRequest req, ServerResponse res) {
        Tokenizer engine = ctx.model().require().tokenizer();
        JsonFields f = new JsonFields(JsonBody.read(req, ctx.config().maxRequestBytes()));
        String content = f.string("content", "");
        boolean addSpecial = f.bool("add_special", false);
        boolean parseSpecial = f.bool("parse_special", true);
        boolean withPieces = f.bool("with_pieces", false);
        int[] tokens = engine.tokenize(content, addSpecial, parseSpecial);
        if (!withPieces) {
            Responses.json(res, new Tokens<>(toList(tokens)));
            return;
        }
        List<Piece> pieces = new ArrayList<>(tokens.length);
        for (int t : tokens) {
            pieces.add(new Piece(t, engine.piece(t)));
        }
        Responses.json(res, new Tokens<>(pieces));
    }

    private void detokenize(ServerRequest req, ServerResponse res) {
        Tokenizer engine = ctx.model().require().tokenizer();
        JsonFields f = new JsonFields(JsonBody.read(req, ctx.config().maxRequestBytes()));
        ArrayNode array = f.array("tokens").orElseGet(() -> f.node().arrayNode());
        int vocab = engine.vocabularySize();
        int[] tokens = new int[array.size()];
        for (int i = 0; i < tokens.length; i++) {
            JsonNode item = array.get(i);
            int id = JsonFields.asInt(item, "tokens[" + i + "]");
            if (id < 0 || id >= vocab) {
                throw ApiException.invalid("\"tokens[" + i + "]\": token id " + id + " is out of range [0, " + vocab
                        + ")");
            }
            tokens[i] = id;
        }
        Responses.json(res, new Content(engine.detokenize(tokens)));
    }

    private static List<Integer> toList(int[] tokens) {
        List<Integer> out = new ArrayList<>(tokens.length);
        for (int t : tokens) {
            out.add(t);
        }
        return out;
    }

    record Tokens<T>(List<T> tokens) {
    }

    record Piece(int id, String piece) {
    }

    record Content(String content) {
    }
}
