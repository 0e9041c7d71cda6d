package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.llamabox.engine.VisionConfig;
import io.llamabox.testkit.model.DecoderSpec;
import io.llamabox.testkit.model.ProjectorSpec;
import io.llamabox.testkit.model.TestModels;
import io.llamabox.testkit.peer.PeerServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Chats with images through the whole server: the peer's output, errors, the prompt cache, many requests. */
class VisionChatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IMAGE_TOKENS = ProjectorSpec.tinyFor(DecoderSpec.tinyLlama()).imageTokens();
    private static final String INVALID_IMAGE =
            "{\"error\":{\"code\":400,\"message\":\"Invalid image\",\"type\":\"invalid_request_error\"}}";

    private static String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of("-m", TestModels.llama().toString(),
                "--mmproj", TestModels.projector().toString(), "-c", "2048", "-np", "2"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static BufferedImage picture(int w, int h, int seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x * 9 + seed * 50) & 0xFF) << 16 | ((y * 4 + seed * 80) & 0xFF) << 8
                        | (((x + y) * 2 + seed * 30) & 0xFF));
            }
        }
        return img;
    }

    private static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String dataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    private static String imagePart(String url) {
        return "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + url + "\"}}";
    }

    private static String textPart(String text) throws IOException {
        return "{\"type\":\"text\",\"text\":" + JSON.writeValueAsString(text) + "}";
    }

    /** A greedy chat: a system message, then a user message of these content parts. */
    private static String chat(int maxTokens, String... parts) {
        return "{\"model\":\"m\",\"temperature\":0,\"max_tokens\":" + maxTokens + ",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"You are terse.\"},"
                + "{\"role\":\"user\",\"content\":[" + String.join(",", parts) + "]}]}";
    }

    @Test
    void greedyChatsWithImagesMatchThePeer() throws Exception {
        Path model = TestModels.llama();
        try (RunningBox box = new RunningBox(args());
             PeerServer peer = PeerServer.start(model, List.of("--mmproj", TestModels.projector().toString(),
                     "-c", "2048", "-np", "2"))) {
            List<String> bodies = List.of(
                    chat(24, imagePart(dataUri(png(picture(80, 60, 1)))), textPart("What is in this image?")),
                    chat(24, textPart("Look:"), imagePart(dataUri(png(picture(33, 97, 2)))), textPart("Describe it."),
                            textPart("Briefly.")),
                    chat(24, imagePart(dataUri(png(picture(64, 64, 3)))), imagePart(dataUri(png(picture(120, 40, 4)))),
                            textPart("Which is brighter?")));
            for (String body : bodies) {
                HttpResponse<String> ours = box.post("/v1/chat/completions", body);
                PeerServer.Response theirs = peer.post("/v1/chat/completions", body);
                assertEquals(200, ours.statusCode(), ours.body());
                assertEquals(200, theirs.status(), theirs.body());
                JsonNode o = JSON.readTree(ours.body());
                JsonNode t = JSON.readTree(theirs.body());
                String expected = t.at("/choices/0/message/content").asText();
                assertFalse(expected.isEmpty());
                assertEquals(expected, o.at("/choices/0/message/content").asText());
                assertEquals(t.at("/usage/prompt_tokens").asInt(), o.at("/usage/prompt_tokens").asInt(),
                        "images count toward the prompt like the peer counts them");
                assertEquals(24, o.at("/usage/completion_tokens").asInt());
            }
        }
    }

    @Test
    void aBrokenImageIs400AndTheServerGoesOn() throws Exception {
        try (RunningBox box = new RunningBox(args())) {
            byte[] good = png(picture(40, 40, 5));
            List<String> broken = List.of(
                    dataUri("definitely not an image".getBytes(StandardCharsets.UTF_8)),
                    dataUri(Arrays.copyOf(good, good.length / 2)),
                    dataUri(pngHeaderOnly(30000, 30000)),
                    "data:image/png;base64,%%%");
            for (String url : broken) {
                HttpResponse<String> r = box.post("/v1/chat/completions", chat(4, imagePart(url), textPart("What?")));
                assertEquals(400, r.statusCode(), r.body());
                assertEquals(JSON.readTree(INVALID_IMAGE), JSON.readTree(r.body()));
            }
            HttpResponse<String> ok = box.post("/v1/chat/completions", chat(4, imagePart(dataUri(good)), textPart("What?")));
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals(4, JSON.readTree(ok.body()).at("/usage/completion_tokens").asInt());
        }
    }

    /** A PNG signature and header claiming {@code w x h} pixels, and no pixel data. */
    private static byte[] pngHeaderOnly(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        return ByteBuffer.allocate(8 + 4 + 17 + 4).put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
    }

    @Test
    void theSameImageTwiceComesFromThePromptCache() throws Exception {
        try (RunningBox box = new RunningBox(args())) {
            String image = imagePart(dataUri(png(picture(70, 50, 6))));
            JsonNode first = JSON.readTree(box.post("/v1/chat/completions", chat(8, image, textPart("What colour?"))).body());
            assertEquals(0, first.at("/usage/prompt_tokens_details/cached_tokens").asInt());
            JsonNode second = JSON.readTree(box.post("/v1/chat/completions", chat(8, image, textPart("And the shape?"))).body());
            int cached = second.at("/usage/prompt_tokens_details/cached_tokens").asInt();
            int prompt = second.at("/usage/prompt_tokens").asInt();
            // the text before the image is at most a few tokens; the image's embeddings follow it
            assertTrue(cached >= IMAGE_TOKENS + 8 && cached < prompt, "cached " + cached + " of " + prompt + ": " + second);
        }
    }

    @Test
    void tenImageRequestsInARowComplete() throws Exception {
        try (RunningBox box = new RunningBox(args())) {
            for (int i = 0; i < 10; i++) {
                String body = chat(6, imagePart(dataUri(png(picture(48 + 7 * i, 64 - 3 * i, 10 + i)))), textPart("Image " + i));
                if (i % 3 == 1) {
                    body = body.replaceFirst("\\{", "{\"stream\":true,");
                } else if (i == 5) {
                    body = body.replaceFirst("\\{", "{\"n\":2,"); // two choices hold the same images
                }
                HttpResponse<String> r = box.post("/v1/chat/completions", body);
                assertEquals(200, r.statusCode(), "request " + i + ": " + r.body());
                if (i % 3 == 1) {
                    assertTrue(r.body().contains("data: [DONE]"), r.body());
                } else {
                    JsonNode res = JSON.readTree(r.body());
                    assertEquals(i == 5 ? 2 : 1, res.get("choices").size());
                    assertEquals("length", res.at("/choices/0/finish_reason").asText());
                }
            }
        }
    }

    @Test
    void imageUrlsAreFetchedUnlessSwitchedOff() throws Exception {
        byte[] png = png(picture(50, 50, 9));
        WebServer host = WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.get("/cat.png", (req, res) -> res.send(png))).build().start();
        try {
            String url = "http://127.0.0.1:" + host.port() + "/cat.png";
            String byUrl = chat(8, imagePart(url), textPart("What is it?"));
            String inline = chat(8, imagePart(dataUri(png)), textPart("What is it?"));
            try (RunningBox box = new RunningBox(args())) {
                HttpResponse<String> fetched = box.post("/v1/chat/completions", byUrl);
                assertEquals(200, fetched.statusCode(), fetched.body());
                HttpResponse<String> sent = box.post("/v1/chat/completions", inline);
                assertEquals(JSON.readTree(sent.body()).at("/choices/0/message/content"),
                        JSON.readTree(fetched.body()).at("/choices/0/message/content"));
                HttpResponse<String> gone = box.post("/v1/chat/completions",
                        chat(8, imagePart("http://127.0.0.1:" + host.port() + "/dog.png"), textPart("?")));
                assertEquals(400, gone.statusCode(), gone.body());
                assertTrue(gone.body().contains("404"), gone.body());
            }
            try (RunningBox box = new RunningBox(args("--no-visual-url-fetch"))) {
                HttpResponse<String> refused = box.post("/v1/chat/completions", byUrl);
                assertEquals(400, refused.statusCode(), refused.body());
                assertTrue(refused.body().contains("--no-visual-url-fetch"), refused.body());
                assertEquals(200, box.post("/v1/chat/completions", inline).statusCode());
            }
        } finally {
            host.stop();
        }
    }

    @Test
    void withoutAProjectorImagesAreRefusedNamingTheFlag() throws Exception {
        try (RunningBox box = new RunningBox("-m", TestModels.llama().toString(), "-c", "512", "-np", "1")) {
            HttpResponse<String> r = box.post("/v1/chat/completions",
                    chat(4, imagePart(dataUri(png(picture(8, 8, 1)))), textPart("?")));
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(r.body().contains("--mmproj"), r.body());
        }
    }

    @Test
    void theCommandLineConfiguresTheProjector() {
        VisionConfig v = RuntimeSettings.vision(Main.settings(args("--visual-max-image-size", "1344")));
        assertEquals(TestModels.projector(), v.projector());
        assertEquals(1344, v.maxImageSize());
        assertEquals(null, RuntimeSettings.vision(Main.settings(new String[] {"-m", TestModels.llama().toString()})));
    }
}
