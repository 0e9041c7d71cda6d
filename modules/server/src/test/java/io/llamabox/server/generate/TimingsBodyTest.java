package io.llamabox.server.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.llamabox.server.http.Json;
import io.llamabox.spi.Usage;
import org.junit.jupiter.api.Test;

/** {@code timings} carries llama.cpp's key names, the drafted ones included. */
class TimingsBodyTest {
    @Test
    void draftedAndAcceptedTokensUseLlamaCppsKeys() throws Exception {
        JsonNode t = Json.MAPPER.readTree(Json.text(TimingsBody.of(new Usage(12, 2, 30, 5, 60, 20, 15))));
        assertEquals(20, t.get("draft_n").asInt());
        assertEquals(15, t.get("draft_n_accepted").asInt());
        assertFalse(t.has("draft_naccepted"));
        assertEquals(10, t.get("prompt_n").asInt());
        assertEquals(2, t.get("cache_n").asInt());
        assertEquals(30, t.get("predicted_n").asInt());
    }

    @Test
    void withoutDraftsTheDraftKeysAreLeftOut() throws Exception {
        JsonNode t = Json.MAPPER.readTree(Json.text(TimingsBody.of(new Usage(12, 0, 30, 5, 60, 0, 0))));
        assertFalse(t.has("draft_n"));
        assertFalse(t.has("draft_n_accepted"));
    }
}
