package io.llamabox.server.generate;

import com.fasterxml.jackson.databind.JsonNode;
import io.llamabox.server.ServerConfig;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.JsonFields;
import io.llamabox.spi.GenerationRequest;
import io.llamabox.spi.Sampling;
import io.llamabox.spi.TextEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The validated generation settings shared by the completion endpoints; {@link #requests} turns them
 * into engine requests, one per prompt and choice.
 *
 * @param maxTokens tokens to generate; below zero until a stop or the context is full
 * @param n choices per prompt
 * @param nProbs alternatives per token the engine reports (0: none)
 * @param lora the request's LoRA scales by adapter id ({@code lora}); null for the server's
 */
public record GenerationOptions(Sampling sampling, int maxTokens, List<String> stop, boolean ignoreEos, int nKeep,
                                boolean cachePrompt, int slotId, boolean returnSpecial, int n, int nProbs,
                                boolean stream, boolean includeUsage, Map<Integer, Float> lora) {
    public GenerationOptions {
        stop = List.copyOf(stop);
        lora = lora == null ? null : Map.copyOf(lora);
    }

    /**
     * @param maxTokenFields the request fields that may carry the token limit, the preferred first
     * @param nProbs the alternatives per token, read by the caller in its endpoint's dialect
     */
    public static GenerationOptions parse(JsonFields f, ServerConfig config, TextEngine engine,
                                          List<String> maxTokenFields, int nProbs) {
        int n = f.integer("n", 1);
        if (n < 1) {
            throw ApiException.invalid("\"n\" must be at least 1, got " + n);
        }
        boolean stream = f.bool("stream", false);
        boolean includeUsage = false;
        var streamOptions = f.object("stream_options");
        if (streamOptions.isPresent()) {
            includeUsage = streamOptions.get().bool("include_usage", false);
        }
        return new GenerationOptions(
                SamplingParser.parse(f, config.sampling(), engine),
                maxTokens(f, config.nPredict(), maxTokenFields),
                stop(f),
                f.bool("ignore_eos", false),
                SamplingParser.atLeast(f, "n_keep", config.nKeep(), -1),
                f.bool("cache_prompt", config.cachePrompt()),
                SamplingParser.atLeast(f, "id_slot", -1, -1),
                config.returnSpecial(),
                n, nProbs, stream, includeUsage, f.has("lora") ? LoraScales.parse(f.get("lora"), "lora") : null);
    }

    /**
     * The request's token limit. A positive server {@code -n} is both the default and the cap, as in
     * llama.cpp; -1 and -2 ("until the context is full") both mean no limit to the engine.
     */
    static int maxTokens(JsonFields f, int serverDefault, List<String> fields) {
        Integer asked = null;
        for (String name : fields) {
            var v = f.integer(name);
            if (v.isPresent()) {
                if (v.get() < -2) {
                    throw ApiException.invalid("\"" + name + "\" must be at least -2, got " + v.get());
                }
                asked = v.get();
                break;
            }
        }
        int max = asked == null ? serverDefault : asked;
        if (serverDefault > 0 && (max < 0 || max > serverDefault)) {
            max = serverDefault;
        }
        return max < 0 ? -1 : max;
    }

    static List<String> stop(JsonFields f) {
        JsonNode v = f.get("stop");
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v.isTextual()) {
            if (!v.textValue().isEmpty()) {
                out.add(v.textValue());
            }
            return out;
        }
        if (!v.isArray()) {
            throw f.wrongType("stop", "a string or an array of strings");
        }
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw f.wrongType("stop", "a string or an array of strings");
            }
            if (!item.textValue().isEmpty()) {
                out.add(item.textValue());
            }
        }
        return out;
    }

    /** The same options with other sampling (a chat's grammar). */
    public GenerationOptions withSampling(Sampling s) {
        return new GenerationOptions(s, maxTokens, stop, ignoreEos, nKeep, cachePrompt, slotId, returnSpecial, n,
                nProbs, stream, includeUsage, lora);
    }

    /** The same options with special tokens written into the text or not (tool-call markers need them). */
    public GenerationOptions withReturnSpecial(boolean special) {
        return new GenerationOptions(sampling, maxTokens, stop, ignoreEos, nKeep, cachePrompt, slotId, special, n,
                nProbs, stream, includeUsage, lora);
    }

    /** The number of choices a request with these prompts makes. */
    public int choices(int prompts) {
        return prompts * n;
    }

    /**
     * One engine request per prompt and choice, choice {@code p * n + i} for prompt {@code p}. Choices
     * after the first of a prompt get distinct seeds when the seed is fixed, so they can differ.
     */
    public List<GenerationRequest> requests(String requestId, List<int[]> prompts, double tokensPerSecond) {
        List<GenerationRequest> out = new ArrayList<>(prompts.size() * n);
        for (int[] prompt : prompts) {
            for (int i = 0; i < n; i++) {
                Sampling s = sampling;
                if (i > 0 && s.seed() >= 0) {
                    s = withSeed(s, (s.seed() + i) & 0xFFFFFFFFL);
                }
                out.add(new GenerationRequest(requestId, prompt, s, maxTokens, stop, ignoreEos, nProbs, nKeep,
                        cachePrompt, out.isEmpty() ? slotId : -1, tokensPerSecond, returnSpecial, lora));
            }
        }
        return out;
    }

    private static Sampling withSeed(Sampling s, long seed) {
        return new Sampling(seed, s.samplers(), s.temperature(), s.dynatempRange(), s.dynatempExponent(), s.topK(),
                s.topP(), s.minP(), s.typicalP(), s.xtcProbability(), s.xtcThreshold(), s.repeatLastN(),
                s.repeatPenalty(), s.frequencyPenalty(), s.presencePenalty(), s.dryMultiplier(), s.dryBase(),
                s.dryAllowedLength(), s.dryPenaltyLastN(), s.drySequenceBreakers(), s.mirostat(), s.mirostatTau(),
                s.mirostatEta(), s.logitBias(), s.grammar(), s.grammarLazy(), s.grammarTriggerPatterns(),
                s.grammarTriggerTokens(), s.minKeep(), s.topNSigma());
    }
}
