package io.llamabox.server.images;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.FormPart;
import io.llamabox.server.http.Json;
import io.llamabox.server.http.JsonFields;
import io.llamabox.server.http.MultipartForm;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@code POST /v1/images/edits} form: its text fields as the JSON body of a generation would carry them (numbers
 * and booleans typed, {@code stream_options_*} gathered into {@code stream_options}, {@code lora} parsed as the JSON
 * it holds), so that one parser checks both endpoints; and its picture and mask.
 *
 * @param fields the text fields, typed
 * @param image  the picture to edit ({@code image}, or OpenAI's {@code image[]})
 * @param mask   the mask, if sent
 */
public record EditForm(JsonFields fields, FormPart image, Optional<FormPart> mask) {
    private static final Set<String> NUMBERS = Set.of("n", "sampling_steps", "sample_steps", "seed", "cfg_scale",
            "guidance", "strength", "chunk_size");
    private static final Set<String> BOOLEANS = Set.of("stream", "include_usage", "chunk_result", "preview",
            "preview_faster");
    private static final String STREAM_OPTION = "stream_options_";
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d{1,3})?");

    public static EditForm of(MultipartForm form) {
        FormPart image = form.first("image", "image[]")
                .orElseThrow(() -> ApiException.invalid("\"image\" is required: the picture to edit, as a file part"));
        Optional<FormPart> mask = form.first("mask");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode streamOptions = JsonNodeFactory.instance.objectNode();
        for (FormPart part : form.parts()) {
            String name = part.name();
            if (name.equals("image") || name.equals("image[]") || name.equals("mask")) {
                continue;
            }
            if (part.filename() != null) {
                throw ApiException.invalid("\"" + name + "\" is a file part; only \"image\" and \"mask\" are files");
            }
            if (name.startsWith(STREAM_OPTION)) {
                String option = name.substring(STREAM_OPTION.length());
                if (!streamOptions.has(option)) {
                    put(streamOptions, option, part.text());
                }
            } else if (!body.has(name)) {
                put(body, name, part.text());
            }
        }
        if (!streamOptions.isEmpty()) {
            body.set("stream_options", streamOptions);
        }
        return new EditForm(new JsonFields(body), image, mask);
    }

    private static void put(ObjectNode node, String name, String text) {
        String v = text.trim();
        if (name.equals("lora")) {
            try {
                node.set(name, Json.MAPPER.readTree(v));
            } catch (JsonProcessingException e) {
                throw ApiException.invalid("\"lora\" must be a JSON array such as [{\"id\":0,\"scale\":1.0}], got \""
                        + v + "\"");
            }
        } else if (v.equals("null") && (NUMBERS.contains(name) || BOOLEANS.contains(name))) {
            node.putNull(name);
        } else if (NUMBERS.contains(name) && INTEGER.matcher(v).matches()) {
            node.put(name, Long.parseLong(v));
        } else if (NUMBERS.contains(name) && DECIMAL.matcher(v).matches()) {
            node.put(name, Double.parseDouble(v));
        } else if (BOOLEANS.contains(name) && (v.equals("true") || v.equals("false"))) {
            node.put(name, Boolean.parseBoolean(v));
        } else {
            node.put(name, text); // left as text: the parser says what type it wanted
        }
    }
}
