package io.llamabox.chat.jinja;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helper: renders a template with variables given as name/value pairs or as JSON. */
final class Render {

    static final ZonedDateTime NOW = ZonedDateTime.of(2026, 3, 5, 14, 7, 9, 0, ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Render() {
    }

    static String render(String template, Object... nameValues) {
        Map<String, Object> ctx = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            ctx.put((String) nameValues[i], nameValues[i + 1]);
        }
        return Template.parse(template).render(ctx, () -> NOW, null);
    }

    /** Variables from a JSON object, converted like request data. */
    @SuppressWarnings("unchecked")
    static String renderJson(String template, String json) {
        try {
            Map<String, Object> ctx = (Map<String, Object>) Json.fromJson(JSON.readTree(json));
            return Template.parse(template).render(ctx, () -> NOW, null);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
