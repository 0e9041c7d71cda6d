package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llamabox.spi.image.ImagePreview;
import io.llamabox.spi.image.ImageRequest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/images/edits}: a multipart form whose picture and mask are decoded and brought to size in Java,
 * whose fields mean what they mean for generations, and whose bad parts are refused before the engine sees them.
 */
class ImageEditsTest {
    private static final ScriptedImageEngine ENGINE = new ScriptedImageEngine();
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.images(ENGINE, b -> b.maxRequestBytes(4 << 20));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void thePictureReachesTheEngineAtItsOwnSizeWithTheModelsStrength() throws Exception {
        BufferedImage picture = pattern(320, 256);
        HttpResponse<String> r = edit(new Form().text("prompt", "A lovely cat").file("image", "in.png", png(picture)));
        assertEquals(200, r.statusCode(), r.body());
        ImageRequest req = ENGINE.lastRequest();
        assertEquals(320, req.width());
        assertEquals(256, req.height());
        assertEquals(ScriptedImageEngine.DEFAULTS.strength(), req.edit().strength());
        assertNull(req.edit().mask(), "no mask: image-to-image");
        assertArrayEquals(rgb(picture), req.edit().rgb(), "the pixels as sent");
        JsonNode data = TestServer.json(r).get("data");
        assertEquals(1, data.size());
        assertTrue(data.get(0).get("b64_json").asText().length() > 10);
    }

    @Test
    void anOddSizedPictureGetsTheNearestSizeBelowInSixtyFours() throws Exception {
        assertEquals(200, edit(new Form().text("prompt", "x").file("image", "in.png", png(pattern(333, 290))))
                .statusCode());
        assertEquals(320, ENGINE.lastRequest().width());
        assertEquals(256, ENGINE.lastRequest().height());
        assertEquals(200, edit(new Form().text("prompt", "x").file("image", "in.png", png(pattern(100, 2000))))
                .statusCode());
        assertEquals(256, ENGINE.lastRequest().width(), "no side below the smallest size");
        assertEquals(1024, ENGINE.lastRequest().height(), "nor above the largest");
    }

    @Test
    void aGivenSizeScalesThePictureAndTheMask() throws Exception {
        HttpResponse<String> r = edit(new Form().text("prompt", "x").text("size", "256x256")
                .file("image", "in.png", png(pattern(512, 320))).file("mask", "mask.png", png(leftWhite(512, 320))));
        assertEquals(200, r.statusCode(), r.body());
        ImageRequest req = ENGINE.lastRequest();
        assertEquals(256 * 256 * 3, req.edit().rgb().length);
        assertEquals(256 * 256, req.edit().mask().length);
        assertEquals(255, req.edit().mask()[10] & 0xff, "white is repainted");
        assertEquals(0, req.edit().mask()[250] & 0xff, "black is kept");
    }

    @Test
    void aTransparentMaskFollowsOpenAisConvention() throws Exception {
        BufferedImage mask = new BufferedImage(256, 256, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                mask.setRGB(x, y, x < 128 ? 0x00000000 : 0xff000000); // left transparent, right opaque black
            }
        }
        assertEquals(200, edit(new Form().text("prompt", "x").file("image", "in.png", png(pattern(256, 256)))
                .file("mask", "mask.png", png(mask))).statusCode());
        byte[] m = ENGINE.lastRequest().edit().mask();
        assertEquals(255, m[0] & 0xff, "transparent is repainted");
        assertEquals(0, m[255] & 0xff, "opaque is kept, whatever its colour");
    }

    @Test
    void theFieldsAreTypedAsInAGenerationsBody() throws Exception {
        HttpResponse<String> r = edit(new Form().text("prompt", "x").text("n", "2").text("strength", "0.35")
                .text("sampler", "euler").text("sample_steps", "3").text("seed", "77").text("cfg_scale", "4.5")
                .text("negative_prompt", "blurry").text("lora", "[{\"id\":1,\"scale\":0.25}]")
                .file("image", "in.png", png(pattern(64, 64))));
        assertEquals(200, r.statusCode(), r.body());
        ImageRequest req = ENGINE.lastRequest();
        assertEquals(2, req.count());
        assertEquals(0.35, req.edit().strength(), 1e-9);
        assertEquals("euler", req.sampleMethod());
        assertEquals(3, req.steps());
        assertEquals(77, req.seed());
        assertEquals(4.5, req.cfgScale());
        assertEquals("blurry", req.negativePrompt());
        assertEquals(Map.of(1, 0.25f), req.loraScales());
    }

    @Test
    void flatStreamOptionsStreamProgressAndChunks() throws Exception {
        HttpResponse<String> r = edit(new Form().text("prompt", "x").text("stream", "true")
                .text("stream_options_include_usage", "true").text("stream_options_chunk_result", "true")
                .text("stream_options_chunk_size", "64").text("stream_options_preview", "true")
                .file("image", "in.png", png(pattern(64, 64))));
        assertEquals(200, r.statusCode(), r.body());
        List<String> events = TestServer.events(r);
        assertEquals("[DONE]", events.getLast());
        assertEquals(ImagePreview.FULL, ENGINE.lastRequest().preview());
        assertTrue(events.stream().anyMatch(e -> e.contains("\"usage\"")), "usage at the end");
        long chunks = events.stream().filter(e -> e.contains("\"b64_json\"")).count();
        assertTrue(chunks > 2, "the image in pieces of 64 and previews: " + chunks);
    }

    @Test
    void whatIsNotAPictureIsTheSpecsInvalidImage() throws Exception {
        int before = ENGINE.requests.size();
        HttpResponse<String> r = edit(new Form().text("prompt", "x").file("image", "in.png",
                "not a picture".getBytes(StandardCharsets.UTF_8)));
        assertEquals(400, r.statusCode());
        JsonNode error = TestServer.json(r).get("error");
        assertTrue(error.get("message").asText().startsWith("Invalid image"), error.toString());
        assertEquals("invalid_request_error", error.get("type").asText());
        HttpResponse<String> truncated = edit(new Form().text("prompt", "x").file("image", "in.png",
                java.util.Arrays.copyOf(png(pattern(64, 64)), 60)));
        assertEquals(400, truncated.statusCode(), truncated.body());
        assertEquals(before, ENGINE.requests.size(), "nothing reached the engine");
    }

    @Test
    void badFormsAreRefusedWithWhatIsWrong() throws Exception {
        byte[] picture = png(pattern(64, 64));
        assertRefused(edit(new Form().text("prompt", "x")), 400, "\"image\" is required");
        assertRefused(edit(new Form().file("image", "in.png", picture)), 400, "\"prompt\" is required");
        assertRefused(edit(new Form().text("prompt", "x").file("image", "in.png", picture)
                .file("mask", "m.png", png(pattern(32, 64)))), 400, "same size");
        assertRefused(edit(new Form().text("prompt", "x").text("strength", "1.5").file("image", "in.png", picture)),
                400, "\"strength\"");
        assertRefused(edit(new Form().text("prompt", "x").text("n", "two").file("image", "in.png", picture)),
                400, "\"n\"");
        assertRefused(edit(new Form().text("prompt", "x").text("lora", "[{").file("image", "in.png", picture)),
                400, "\"lora\"");
        assertRefused(edit(new Form().text("prompt", "x").text("size", "100x100").file("image", "in.png", picture)),
                400, "multiple of 64");
        Form many = new Form().text("prompt", "x").file("image", "in.png", picture);
        for (int i = 0; i < 70; i++) {
            many.text("extra" + i, "v");
        }
        assertRefused(edit(many), 400, "more than 64 parts");
        assertRefused(server.post("/v1/images/edits", "{\"prompt\":\"x\"}"), 400, "multipart/form-data");
        byte[] body = new Form().text("prompt", "x").file("image", "in.png", picture).bytes();
        byte[] cut = java.util.Arrays.copyOf(body, body.length - 20);
        assertRefused(server.send(server.request("/v1/images/edits", "Content-Type", Form.TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(cut)).build()), 400, "truncated");
        assertRefused(edit(new Form().text("prompt", "x").file("image", "big.png", new byte[5 << 20])), 413, "larger");
    }

    @Test
    void generationsTakeNoStrength() throws Exception {
        assertRefused(server.post("/v1/images/generations", "{\"prompt\":\"x\",\"strength\":0.5}"), 400,
                "/v1/images/edits");
    }

    private static void assertRefused(HttpResponse<String> r, int status, String says) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        String message = TestServer.json(r).at("/error/message").asText();
        assertTrue(message.contains(says), "\"" + says + "\" in: " + message);
    }

    private static HttpResponse<String> edit(Form form) throws IOException, InterruptedException {
        return server.send(server.request("/v1/images/edits", "Content-Type", Form.TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build());
    }

    /** A multipart/form-data body, written as curl and the OpenAI SDKs write one. */
    static final class Form {
        static final String BOUNDARY = "----llamaboxtest7MA4YWxkTrZu0gW";
        static final String TYPE = "multipart/form-data; boundary=" + BOUNDARY;
        private final List<byte[]> pieces = new ArrayList<>();

        Form text(String name, String value) {
            pieces.add(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                    + "\r\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Form file(String name, String filename, byte[] data) {
            pieces.add(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                    + filename + "\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            pieces.add(data);
            pieces.add("\r\n".getBytes(StandardCharsets.UTF_8));
            return this;
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            pieces.forEach(out::writeBytes);
            out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        }
    }

    static BufferedImage pattern(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | ((x + y) % 7) * 30);
            }
        }
        return image;
    }

    private static BufferedImage leftWhite(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w / 2; x++) {
                image.setRGB(x, y, 0xffffff);
            }
        }
        return image;
    }

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static byte[] rgb(BufferedImage image) {
        byte[] out = new byte[image.getWidth() * image.getHeight() * 3];
        int i = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                out[i++] = (byte) (p >> 16);
                out[i++] = (byte) (p >> 8);
                out[i++] = (byte) p;
            }
        }
        return out;
    }
}
