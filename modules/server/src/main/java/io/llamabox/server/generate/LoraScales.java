package io.llamabox.server.generate;

import com.fasterxml.jackson.databind.JsonNode;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.JsonFields;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads LoRA scales as the API writes them: {@code [{"id": 0, "scale": 0.5}, ...]}. */
public final class LoraScales {
    private LoraScales() {
    }

    /** The scales by adapter id; {@code what} names the field in errors. Ids are checked by the engine. */
    public static Map<Integer, Float> parse(JsonNode array, String what) {
        if (array == null || !array.isArray()) {
            throw ApiException.invalid("\"" + what + "\" must be an array of {\"id\": integer, \"scale\": number}");
        }
        Map<Integer, Float> out = new LinkedHashMap<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            String at = what + "[" + i + "]";
            if (!item.isObject()) {
                throw ApiException.invalid("\"" + at + "\" must be an object with \"id\" and \"scale\"");
            }
            JsonNode id = item.get("id");
            if (id == null || !id.isNumber()) {
                throw ApiException.invalid("\"" + at + ".id\" must be an integer");
            }
            JsonNode scale = item.get("scale");
            if (scale == null || !scale.isNumber() || !Double.isFinite(scale.doubleValue())) {
                throw ApiException.invalid("\"" + at + ".scale\" must be a number");
            }
            out.put(JsonFields.asInt(id, at + ".id"), scale.floatValue());
        }
        return out;
    }
}
