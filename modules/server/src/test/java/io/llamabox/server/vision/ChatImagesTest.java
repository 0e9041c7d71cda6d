package io.llamabox.server.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.JsonFields;
import io.llamabox.spi.PromptImage;
import io.llamabox.spi.TextEngine;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatImagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARKER = "<image-here>";
    private static final String PNG = "data:image/png;base64," + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});

    private static TextEngine engine(boolean images) {
        TextEngine e = mock(TextEngine.class);
        when(e.acceptsImages()).thenReturn(images);
        when(e.imageMarker()).thenReturn(MARKER);
        return e;
    }

    private static JsonFields request(String messages) throws Exception {
        return new JsonFields((ObjectNode) JSON.readTree("{\"messages\":" + messages + "}"));
    }

    private static String image(String url) {
        return "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + url + "\"}}";
    }

    private static String text(String t) {
        return "{\"type\":\"text\",\"text\":\"" + t + "\"}";
    }

    @Test
    void imagePartsBecomeMarkersJoinedLikeLlamaCppJoinsThem() throws Exception {
        JsonFields f = request("[{\"role\":\"system\",\"content\":[" + text("Be brief.") + "," + text("Really.") + "]},"
                + "{\"role\":\"user\",\"content\":[" + text("A") + "," + image(PNG) + "," + text("B") + "," + text("C") + "]},"
                + "{\"role\":\"user\",\"content\":[" + image(PNG) + ",{\"type\":\"image_url\",\"image_url\":\"" + PNG + "\"}]}]");
        ChatImages images = ChatImages.take(f, engine(true));
        assertEquals(3, images.size());
        // a message without images is left to the chat request's own rules
        assertTrue(f.node().at("/messages/0/content").isArray());
        assertEquals("A" + MARKER + "B\nC", f.node().at("/messages/1/content").asText());
        assertEquals(MARKER + MARKER, f.node().at("/messages/2/content").asText());
        List<PromptImage> loaded = images.load(new ImageFetcher(false, 100, 1000, Duration.ofSeconds(1), 0));
        assertEquals(3, loaded.get(2).data().length);
    }

    @Test
    void aChatWithoutImagesIsUntouched() throws Exception {
        JsonFields f = request("[{\"role\":\"user\",\"content\":[" + text("hi") + "]}]");
        assertTrue(ChatImages.take(f, engine(false)).isEmpty());
        assertTrue(f.node().at("/messages/0/content").isArray());
    }

    @Test
    void badPartsAndModelsWithoutAProjectorAre400() throws Exception {
        ApiException noVision = assertThrows(ApiException.class,
                () -> ChatImages.take(request("[{\"role\":\"user\",\"content\":[" + image(PNG) + "]}]"), engine(false)));
        assertTrue(noVision.getMessage().contains("--mmproj"), noVision.getMessage());
        String[] bad = {
            "[{\"role\":\"user\",\"content\":[" + image(PNG) + ",{\"type\":\"input_audio\"}]}]",
            "[{\"role\":\"user\",\"content\":[" + image(PNG) + ",{\"type\":\"text\",\"text\":7}]}]",
            "[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{}}]}]",
            "[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"  \"}}]}]",
            "[{\"role\":\"user\",\"content\":[" + image(PNG) + ",\"loose text\"]}]",
        };
        for (String b : bad) {
            assertThrows(ApiException.class, () -> ChatImages.take(request(b), engine(true)), b);
        }
    }
}
