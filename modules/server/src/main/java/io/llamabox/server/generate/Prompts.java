package io.llamabox.server.generate;

import com.fasterxml.jackson.databind.JsonNode;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.JsonFields;
import io.llamabox.spi.MediaPrompt;
import io.llamabox.spi.ModelDescription;
import io.llamabox.spi.PromptImage;
import io.llamabox.spi.TextEngine;
import java.util.ArrayList;
import java.util.List;

/** Turns the prompts of requests into tokens. */
public final class Prompts {
    private Prompts() {
    }

    /**
     * A completion {@code prompt}, as llama.cpp's server reads it: a string; an array of token ids; an
     * array mixing strings and token ids (one prompt); or an array of strings and token arrays, each
     * its own prompt. Text is tokenized with special tokens parsed and BOS added where the model wants it.
     */
    public static List<int[]> completion(JsonNode prompt, TextEngine engine) {
        if (prompt == null) {
            throw ApiException.invalid("\"prompt\" is required");
        }
        if (prompt.isTextual()) {
            return List.of(engine.tokenize(prompt.textValue(), true, true));
        }
        if (!prompt.isArray()) {
            throw notAPrompt();
        }
        if (prompt.isEmpty()) {
            throw ApiException.invalid("\"prompt\" must not be an empty array");
        }
        boolean anyNumber = false;
        boolean allSingle = true;
        for (JsonNode item : prompt) {
            anyNumber |= item.isNumber();
            allSingle &= item.isNumber() || item.isTextual();
        }
        if (anyNumber) {
            if (!allSingle) {
                throw notAPrompt();
            }
            return List.of(mixed(prompt, engine));
        }
        List<int[]> out = new ArrayList<>();
        for (JsonNode item : prompt) {
            if (item.isTextual()) {
                out.add(engine.tokenize(item.textValue(), true, true));
            } else if (item.isArray()) {
                out.add(mixed(item, engine));
            } else {
                throw notAPrompt();
            }
        }
        return out;
    }

    /** Token ids and text pieces in order; only a leading text piece gets BOS. */
    private static int[] mixed(JsonNode items, TextEngine engine) {
        int vocab = engine.vocabularySize();
        List<Integer> tokens = new ArrayList<>();
        boolean first = true;
        for (JsonNode item : items) {
            if (item.isTextual()) {
                for (int t : engine.tokenize(item.textValue(), first, true)) {
                    tokens.add(t);
                }
            } else if (item.isNumber()) {
                int id = JsonFields.asInt(item, "prompt");
                if (id < 0 || id >= vocab) {
                    throw ApiException.invalid("\"prompt\": token id " + id + " is out of range [0, " + vocab + ")");
                }
                tokens.add(id);
            } else {
                throw notAPrompt();
            }
            first = false;
        }
        return tokens.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * A prompt rendered by a chat template. Templates often write the BOS text themselves while the
     * tokenizer adds BOS too; the leading text is dropped so the prompt starts with one BOS.
     */
    public static int[] rendered(String text, TextEngine engine) {
        return engine.tokenize(withoutTemplateBos(text, engine), true, true);
    }

    /**
     * A rendered prompt with images, the engine's image marker standing for each: the engine tokenizes
     * text and images together, with the same BOS rule as {@link #rendered(String, TextEngine)}.
     */
    public static MediaPrompt rendered(String text, List<PromptImage> images, TextEngine engine) {
        return engine.tokenize(withoutTemplateBos(text, engine), images);
    }

    private static String withoutTemplateBos(String text, TextEngine engine) {
        ModelDescription model = engine.model();
        String bos = model.bosToken();
        if (model.addBos() && bos != null && !bos.isEmpty() && text.startsWith(bos)) {
            return text.substring(bos.length());
        }
        return text;
    }

    private static ApiException notAPrompt() {
        return ApiException.invalid("\"prompt\" must be a string, an array of token ids, or an array of strings"
                + " and token arrays");
    }
}
