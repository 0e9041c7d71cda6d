package io.llamabox.server.vision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.JsonFields;
import io.llamabox.spi.PromptImage;
import io.llamabox.spi.TextEngine;
import java.util.ArrayList;
import java.util.List;

/**
 * The images of a chat request. {@link #take} turns every message whose content parts include
 * {@code image_url} into one string, the engine's image marker standing where each image was, so that
 * the chat template renders it like any text. Parts join like llama.cpp's server joins them: a newline
 * between two text parts, nothing around an image.
 */
public final class ChatImages {
    private static final ChatImages NONE = new ChatImages(List.of());

    /** An image part: its URL ({@code data:} or {@code http(s):}) and where it was in the request. */
    record Ref(String url, String where) {
    }

    private final List<Ref> refs;

    private ChatImages(List<Ref> refs) {
        this.refs = List.copyOf(refs);
    }

    /**
     * Rewrites the request's messages in place and returns their images in order. Other messages are left
     * for the chat request's own checks. A request with images for a model that takes none is a 400.
     */
    public static ChatImages take(JsonFields request, TextEngine engine) {
        JsonNode messages = request.get("messages");
        if (messages == null || !messages.isArray()) {
            return NONE;
        }
        List<Ref> refs = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) instanceof ObjectNode message && hasImage(message.get("content"))) {
                if (!engine.acceptsImages()) {
                    throw ApiException.invalid("\"messages[" + i + "].content\" has an image_url part, but this model"
                            + " takes no images: start the server with --mmproj to chat about images");
                }
                message.put("content", join(message.get("content"), "messages[" + i + "].content", engine.imageMarker(), refs));
            }
        }
        return refs.isEmpty() ? NONE : new ChatImages(refs);
    }

    private static boolean hasImage(JsonNode content) {
        if (content == null || !content.isArray()) {
            return false;
        }
        for (JsonNode part : content) {
            JsonNode type = part.get("type");
            if (type != null && type.isTextual() && type.textValue().equals("image_url")) {
                return true;
            }
        }
        return false;
    }

    private static String join(JsonNode content, String where, String marker, List<Ref> refs) {
        StringBuilder text = new StringBuilder();
        boolean afterText = false;
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String at = where + "[" + j + "]";
            JsonNode type = part.isObject() ? part.get("type") : null;
            if (type == null || !type.isTextual()) {
                throw ApiException.invalid("\"" + at + "\" must be an object with a string \"type\"");
            }
            switch (type.textValue()) {
                case "text" -> {
                    JsonNode t = part.get("text");
                    if (t == null || !t.isTextual()) {
                        throw ApiException.invalid("\"" + at + ".text\" must be a string");
                    }
                    if (afterText) {
                        text.append('\n');
                    }
                    text.append(t.textValue());
                    afterText = true;
                }
                case "image_url" -> {
                    refs.add(new Ref(url(part.get("image_url"), at + ".image_url"), at));
                    text.append(marker);
                    afterText = false;
                }
                default -> throw ApiException.invalid("\"" + at + "\": content parts of type \"" + type.textValue()
                        + "\" are not supported by this server; only \"text\" and \"image_url\" parts are");
            }
        }
        return text.toString();
    }

    /** {@code {"url": "..."}} as OpenAI sends it, or the URL string alone as some clients do. */
    private static String url(JsonNode imageUrl, String where) {
        JsonNode url = imageUrl != null && imageUrl.isObject() ? imageUrl.get("url") : imageUrl;
        if (url == null || !url.isTextual() || url.textValue().isBlank()) {
            throw ApiException.invalid("\"" + where + ".url\" must be a data: URI or an http(s) URL");
        }
        return url.textValue().strip();
    }

    public boolean isEmpty() {
        return refs.isEmpty();
    }

    public int size() {
        return refs.size();
    }

    /** Fetches or decodes every image's bytes (still encoded), in order. */
    public List<PromptImage> load(ImageFetcher fetcher) {
        ImageFetcher.Budget budget = fetcher.budget();
        List<PromptImage> out = new ArrayList<>(refs.size());
        for (Ref r : refs) {
            out.add(fetcher.fetch(r.url(), r.where(), budget));
        }
        return out;
    }
}
