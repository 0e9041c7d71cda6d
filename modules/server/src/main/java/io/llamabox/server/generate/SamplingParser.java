package io.llamabox.server.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llamabox.chat.schema.JsonSchemaGrammar;
import io.llamabox.chat.schema.SchemaException;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.JsonFields;
import io.llamabox.spi.Sampling;
import io.llamabox.spi.TextEngine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads a request's sampling fields (OpenAI's and llama.cpp's) over the server's defaults. */
final class SamplingParser {
    /** llama.cpp's sampler names, with the spellings its server also accepts, to canonical names. */
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("penalties", "penalties"), Map.entry("dry", "dry"), Map.entry("top_k", "top_k"),
            Map.entry("typ_p", "typ_p"), Map.entry("typical_p", "typ_p"), Map.entry("typical", "typ_p"),
            Map.entry("top_p", "top_p"), Map.entry("nucleus", "top_p"), Map.entry("min_p", "min_p"),
            Map.entry("xtc", "xtc"), Map.entry("temperature", "temperature"), Map.entry("temp", "temperature"),
            Map.entry("top_n_sigma", "top_n_sigma"));
    /** The one-letter spelling ({@code --sampling-seq}). */
    private static final Map<Character, String> LETTERS = Map.of('e', "penalties", 'd', "dry", 'k', "top_k",
            'y', "typ_p", 'p', "top_p", 's', "top_n_sigma", 'm', "min_p", 'x', "xtc", 't', "temperature");

    private SamplingParser() {
    }

    static Sampling parse(JsonFields f, Sampling d, TextEngine engine) {
        int mirostat = f.integer("mirostat", d.mirostat());
        if (mirostat < 0 || mirostat > 2) {
            throw ApiException.invalid("\"mirostat\" must be 0, 1 or 2");
        }
        float dryBase = f.number("dry_base", d.dryBase());
        boolean requested = requestsGrammar(f);
        String grammar = requested ? grammar(f) : null;
        return new Sampling(
                f.longValue("seed", d.seed()),
                samplers(f, d.samplers()),
                f.number("temperature", d.temperature()),
                f.number("dynatemp_range", d.dynatempRange()),
                f.number("dynatemp_exponent", d.dynatempExponent()),
                f.integer("top_k", d.topK()),
                f.number("top_p", d.topP()),
                f.number("min_p", d.minP()),
                f.number("typical_p", d.typicalP()),
                f.number("xtc_probability", d.xtcProbability()),
                f.number("xtc_threshold", d.xtcThreshold()),
                atLeast(f, "repeat_last_n", d.repeatLastN(), -1),
                f.number("repeat_penalty", d.repeatPenalty()),
                f.number("frequency_penalty", d.frequencyPenalty()),
                f.number("presence_penalty", d.presencePenalty()),
                f.number("dry_multiplier", d.dryMultiplier()),
                dryBase < 1.0f ? d.dryBase() : dryBase,
                atLeast(f, "dry_allowed_length", d.dryAllowedLength(), 0),
                atLeast(f, "dry_penalty_last_n", d.dryPenaltyLastN(), -1),
                drySequenceBreakers(f, d.drySequenceBreakers()),
                mirostat,
                f.number("mirostat_tau", d.mirostatTau()),
                f.number("mirostat_eta", d.mirostatEta()),
                logitBias(f, d.logitBias(), engine),
                requested ? grammar : d.grammar(),
                !requested && d.grammarLazy(),
                requested ? List.of() : d.grammarTriggerPatterns(),
                requested ? List.of() : d.grammarTriggerTokens(),
                atLeast(f, "min_keep", d.minKeep(), 0),
                f.number("top_n_sigma", d.topNSigma()));
    }

    /** Whether the request brings its own grammar ({@code grammar}, or llama.cpp's {@code json_schema}). */
    static boolean requestsGrammar(JsonFields f) {
        return f.has("grammar") || f.has("json_schema");
    }

    /**
     * The request's own grammar: {@code grammar} (GBNF, checked by the engine when the task is created) or
     * {@code json_schema} turned into GBNF; not both.
     */
    private static String grammar(JsonFields f) {
        if (f.has("grammar") && f.has("json_schema")) {
            throw ApiException.invalid("\"grammar\" and \"json_schema\" cannot be combined; give one");
        }
        if (f.has("json_schema")) {
            return schemaGrammar(f.get("json_schema"), "json_schema");
        }
        return f.string("grammar").orElse(null);
    }

    /** GBNF for a JSON schema of the request, or a 400 naming the field and the problem. */
    static String schemaGrammar(JsonNode schema, String field) {
        try {
            return JsonSchemaGrammar.gbnf(schema);
        } catch (SchemaException e) {
            throw ApiException.invalid("\"" + field + "\" cannot constrain the output: " + e.getMessage());
        }
    }

    /** The same sampling with another grammar. */
    static Sampling withGrammar(Sampling s, String grammar, boolean lazy, List<String> triggerPatterns) {
        return new Sampling(s.seed(), s.samplers(), s.temperature(), s.dynatempRange(), s.dynatempExponent(), s.topK(),
                s.topP(), s.minP(), s.typicalP(), s.xtcProbability(), s.xtcThreshold(), s.repeatLastN(),
                s.repeatPenalty(), s.frequencyPenalty(), s.presencePenalty(), s.dryMultiplier(), s.dryBase(),
                s.dryAllowedLength(), s.dryPenaltyLastN(), s.drySequenceBreakers(), s.mirostat(), s.mirostatTau(),
                s.mirostatEta(), s.logitBias(), grammar, lazy, triggerPatterns, List.of(), s.minKeep(), s.topNSigma());
    }

    static int atLeast(JsonFields f, String name, int fallback, int min) {
        int v = f.integer(name, fallback);
        if (v < min) {
            throw ApiException.invalid("\"" + f.path(name) + "\" must be at least " + min + ", got " + v);
        }
        return v;
    }

    private static List<String> samplers(JsonFields f, List<String> fallback) {
        JsonNode v = f.get("samplers");
        if (v == null) {
            return fallback;
        }
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            for (char c : v.textValue().toCharArray()) {
                String name = LETTERS.get(c);
                if (name == null) {
                    throw ApiException.invalid("\"samplers\": unknown sampler letter '" + c + "' (known: "
                            + String.join("", LETTERS.keySet().stream().map(String::valueOf).sorted().toList()) + ")");
                }
                out.add(name);
            }
            return out;
        }
        if (!v.isArray()) {
            throw f.wrongType("samplers", "an array of sampler names or a string of sampler letters");
        }
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw f.wrongType("samplers", "an array of sampler names or a string of sampler letters");
            }
            String name = NAMES.get(item.textValue().toLowerCase(Locale.ROOT));
            if (name == null) {
                throw ApiException.invalid("\"samplers\": unknown sampler \"" + item.textValue() + "\"");
            }
            out.add(name);
        }
        return out;
    }

    private static List<String> drySequenceBreakers(JsonFields f, List<String> fallback) {
        ArrayNode a = f.array("dry_sequence_breakers").orElse(null);
        if (a == null) {
            return fallback;
        }
        if (a.isEmpty()) {
            throw ApiException.invalid("\"dry_sequence_breakers\" must be a non-empty array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : a) {
            if (!item.isTextual()) {
                throw f.wrongType("dry_sequence_breakers", "a non-empty array of strings");
            }
            out.add(item.textValue());
        }
        return out;
    }

    /**
     * OpenAI's map of token id to bias, or llama.cpp's {@code [[token, bias], ...]}; a key that is not a
     * number is text whose every token gets the bias, and a bias of {@code false} bans the token.
     */
    private static Map<Integer, Float> logitBias(JsonFields f, Map<Integer, Float> fallback, TextEngine engine) {
        JsonNode v = f.get("logit_bias");
        if (v == null) {
            return fallback;
        }
        Map<Integer, Float> out = new HashMap<>(fallback);
        if (v instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                addBias(out, e.getKey(), bias(e.getValue()), engine);
            }
        } else if (v instanceof ArrayNode a) {
            for (JsonNode pair : a) {
                if (!pair.isArray() || pair.size() != 2) {
                    throw f.wrongType("logit_bias", "an object of token id to bias, or an array of [token, bias] pairs");
                }
                JsonNode key = pair.get(0);
                float bias = bias(pair.get(1));
                if (key.isTextual()) {
                    addText(out, key.textValue(), bias, engine);
                } else {
                    addToken(out, JsonFields.asInt(key, "logit_bias"), bias, engine);
                }
            }
        } else {
            throw f.wrongType("logit_bias", "an object of token id to bias, or an array of [token, bias] pairs");
        }
        return out;
    }

    private static float bias(JsonNode value) {
        if (value.isNumber()) {
            return value.floatValue();
        }
        if (value.isBoolean() && !value.booleanValue()) {
            return Float.NEGATIVE_INFINITY;
        }
        throw ApiException.invalid("\"logit_bias\" values must be numbers (or false to ban a token)");
    }

    private static void addBias(Map<Integer, Float> out, String key, float bias, TextEngine engine) {
        int id;
        try {
            id = Integer.parseInt(key.trim());
        } catch (NumberFormatException e) {
            addText(out, key, bias, engine);
            return;
        }
        addToken(out, id, bias, engine);
    }

    private static void addText(Map<Integer, Float> out, String text, float bias, TextEngine engine) {
        for (int t : engine.tokenize(text, false, false)) {
            out.put(t, bias);
        }
    }

    private static void addToken(Map<Integer, Float> out, int id, float bias, TextEngine engine) {
        int vocab = engine.vocabularySize();
        if (id < 0 || id >= vocab) {
            throw ApiException.invalid("\"logit_bias\": token id " + id + " is out of range [0, " + vocab + ")");
        }
        out.put(id, bias);
    }
}
