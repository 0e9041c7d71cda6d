package io.llamabox.server.generate;

import io.llamabox.spi.TokenProbabilities;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Token probabilities in each API's shape. */
public final class Logprobs {
    private Logprobs() {
    }

    /** Chat's {@code logprobs}: {@code {"content":[{token, logprob, bytes, top_logprobs}]}}. */
    public record Chat(List<ChatToken> content) {
    }

    public record ChatToken(String token, float logprob, List<Integer> bytes, List<ChatTop> topLogprobs) {
    }

    public record ChatTop(String token, float logprob, List<Integer> bytes) {
    }

    /** The legacy completions' {@code logprobs}. */
    public record Text(List<String> tokens, List<Float> tokenLogprobs, List<Map<String, Float>> topLogprobs,
                       List<Integer> textOffset) {
    }

    /** One entry of llama.cpp's {@code completion_probabilities}. */
    public record Llama(int id, String token, float logprob, List<Integer> bytes, List<LlamaTop> topLogprobs) {
    }

    public record LlamaTop(int id, String token, float logprob, List<Integer> bytes) {
    }

    public static Chat chat(List<TokenProbabilities> probs, int top) {
        List<ChatToken> out = new ArrayList<>(probs.size());
        for (TokenProbabilities p : probs) {
            List<ChatTop> alternatives = p.top().stream().limit(top)
                    .map(c -> new ChatTop(c.piece(), c.logprob(), bytes(c.bytes()))).toList();
            out.add(new ChatToken(p.piece(), p.logprob(), bytes(p.bytes()), alternatives));
        }
        return new Chat(out);
    }

    /** @param offset the length of the text generated before these tokens */
    public static Text text(List<TokenProbabilities> probs, int top, int offset) {
        List<String> tokens = new ArrayList<>();
        List<Float> logprobs = new ArrayList<>();
        List<Map<String, Float>> tops = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        for (TokenProbabilities p : probs) {
            tokens.add(p.piece());
            logprobs.add(p.logprob());
            Map<String, Float> alternatives = new LinkedHashMap<>();
            p.top().stream().limit(top).forEach(c -> alternatives.putIfAbsent(c.piece(), c.logprob()));
            tops.add(alternatives);
            offsets.add(offset);
            offset += p.piece().length();
        }
        return new Text(tokens, logprobs, tops, offsets);
    }

    public static List<Llama> llama(List<TokenProbabilities> probs) {
        List<Llama> out = new ArrayList<>(probs.size());
        for (TokenProbabilities p : probs) {
            List<LlamaTop> alternatives = p.top().stream()
                    .map(c -> new LlamaTop(c.token(), c.piece(), c.logprob(), bytes(c.bytes()))).toList();
            out.add(new Llama(p.token(), p.piece(), p.logprob(), bytes(p.bytes()), alternatives));
        }
        return out;
    }

    /** Bytes as unsigned numbers, as OpenAI writes them (Jackson would write byte[] as base64). */
    static List<Integer> bytes(byte[] b) {
        if (b == null) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>(b.length);
        for (byte x : b) {
            out.add(x & 0xFF);
        }
        return out;
    }
}
