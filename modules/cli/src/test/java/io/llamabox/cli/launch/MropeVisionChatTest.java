package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.model.TestModels;
import io.llamabox.testkit.peer.PeerServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Chats with images for an M-RoPE model (the tiny {@code qwen2vl} with its Qwen2-VL-style merger, which
 * sizes images dynamically) through the whole server, against the peer {@code llama-server --mmproj}.
 */
class MropeVisionChatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> common(String ctx, String parallel) {
        return List.of("--mmproj", TestModels.mergerProjector().toString(), "-c", ctx, "-np", parallel);
    }

    private static String[] args(List<String> common, String... more) {
        List<String> a = new ArrayList<>(List.of("-m", TestModels.qwen2Vl().toString()));
        a.addAll(common);
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static BufferedImage picture(int w, int h, int seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x * 5 + seed * 50) & 0xFF) << 16 | ((y * 3 + seed * 80) & 0xFF) << 8
                        | (((x ^ y) + seed * 30) & 0xFF));
            }
        }
        return img;
    }

    private static String image(int w, int h, int seed) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(picture(w, h, seed), "png", out);
            String url = "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
            return "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + url + "\"}}";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String text) {
        try {
            return "{\"type\":\"text\",\"text\":" + JSON.writeValueAsString(text) + "}";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A greedy chat: a system message, then a user message of these content parts. */
    private static String chat(int maxTokens, String... parts) {
        return "{\"model\":\"m\",\"temperature\":0,\"max_tokens\":" + maxTokens + ",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"You are terse.\"},"
                + "{\"role\":\"user\",\"content\":[" + String.join(",", parts) + "]}]}";
    }

    private record Both(JsonNode ours, JsonNode theirs) {
    }

    private static Both ask(RunningBox box, PeerServer peer, String body) throws Exception {
        HttpResponse<String> o = box.post("/v1/chat/completions", body);
        PeerServer.Response t = peer.post("/v1/chat/completions", body);
        assertEquals(200, o.statusCode(), o.body());
        assertEquals(200, t.status(), t.body());
        return new Both(JSON.readTree(o.body()), JSON.readTree(t.body()));
    }

    private static void assertSameAnswer(Both b) {
        String expected = b.theirs.at("/choices/0/message/content").asText();
        assertFalse(expected.isEmpty());
        assertEquals(expected, b.ours.at("/choices/0/message/content").asText());
        assertEquals(b.theirs.at("/choices/0/finish_reason").asText(), b.ours.at("/choices/0/finish_reason").asText());
        assertEquals(b.theirs.at("/usage/prompt_tokens").asInt(), b.ours.at("/usage/prompt_tokens").asInt(),
                "images count toward the prompt with all their embeddings, as the peer counts them");
        assertEquals(b.theirs.at("/usage/completion_tokens").asInt(), b.ours.at("/usage/completion_tokens").asInt());
    }

    @Test
    void greedyChatsWithImagesMatchThePeerAndTheCachedPrefixToo() throws Exception {
        List<String> common = common("4096", "2");
        try (RunningBox box = new RunningBox(args(common));
             PeerServer peer = PeerServer.start(TestModels.qwen2Vl(), common)) {
            assertSameAnswer(ask(box, peer, chat(24, image(200, 150, 1), text("What is in this image?"))));
            // the same image after the same text: it comes from the cache, and the text after it continues from
            // the image's last position as when it was encoded
            Both again = ask(box, peer, chat(24, image(200, 150, 1), text("And its colours?")));
            assertSameAnswer(again);
            int cached = again.ours.at("/usage/prompt_tokens_details/cached_tokens").asInt();
            assertTrue(cached > 7 * 5 && cached < again.ours.at("/usage/prompt_tokens").asInt(),
                    "the image's 35 embeddings came from the cache: " + again.ours);
            assertEquals(again.theirs.at("/usage/prompt_tokens_details/cached_tokens").asInt(), cached, again.theirs.toString());
            // text after an image, and two images in one message
            assertSameAnswer(ask(box, peer, chat(24, text("Look:"), image(90, 250, 2), text("Describe it."),
                    text("Briefly."))));
            assertSameAnswer(ask(box, peer, chat(24, image(140, 140, 3), image(300, 100, 4), text("Which is brighter?"))));
        }
    }

    @Test
    void theContextFillsUpAtTheSameTokenAsThePeer() throws Exception {
        List<String> common = common("256", "1");
        try (RunningBox box = new RunningBox(args(common));
             PeerServer peer = PeerServer.start(TestModels.qwen2Vl(), common)) {
            Both b = ask(box, peer, chat(1000, image(200, 150, 5), text("Tell me everything about it.")));
            assertEquals("length", b.ours.at("/choices/0/finish_reason").asText(), b.ours.toString());
            assertSameAnswer(b);
            int used = b.ours.at("/usage/total_tokens").asInt();
            assertTrue(used >= 250 && used <= 256, "the 256 cells filled up, not the fewer positions: " + b.ours);
        }
    }

    @Test
    void visualMaxImageSizeGivesTheTokenCountOfThePeersImageMaxTokens() throws Exception {
        // the longer side of 280 pixels is 10 merged patches: a square image becomes 10 x 10 embeddings,
        // what the peer's area limit of 100 image tokens makes of it
        List<String> common = common("4096", "1");
        List<String> peerArgs = new ArrayList<>(common);
        peerArgs.addAll(List.of("--image-max-tokens", "100"));
        try (RunningBox box = new RunningBox(args(common, "--visual-max-image-size", "280"));
             PeerServer peer = PeerServer.start(TestModels.qwen2Vl(), peerArgs)) {
            int small = 0;
            for (int side : new int[] {560, 420, 280, 168}) {
                String body = chat(4, image(side, side, 6), text("What is it?"));
                Both b = ask(box, peer, body);
                int ours = b.ours.at("/usage/prompt_tokens").asInt();
                assertEquals(b.theirs.at("/usage/prompt_tokens").asInt(), ours, side + " pixels: " + b.ours);
                if (side == 280) {
                    small = ours;
                }
                if (side == 168) {
                    assertEquals(small - 100 + 36, ours, "a 168-pixel image is not scaled: 6 x 6 embeddings");
                }
            }
            // without the flag the largest image takes 20 x 20 embeddings
            try (RunningBox plain = new RunningBox(args(common))) {
                JsonNode r = JSON.readTree(plain.post("/v1/chat/completions",
                        chat(4, image(560, 560, 6), text("What is it?"))).body());
                assertEquals(small - 100 + 400, r.at("/usage/prompt_tokens").asInt(), r.toString());
            }
        }
    }

    @Test
    void anImageThatDoesNotFitTheContextIs400AndTheServerGoesOn() throws Exception {
        List<String> common = common("256", "1");
        try (RunningBox box = new RunningBox(args(common));
             PeerServer peer = PeerServer.start(TestModels.qwen2Vl(), common)) {
            // 20 x 20 embeddings over 20 positions: its positions would fit, its embeddings do not
            String tooLarge = chat(4, image(560, 560, 7), text("What is it?"));
            HttpResponse<String> r = box.post("/v1/chat/completions", tooLarge);
            assertEquals(400, r.statusCode(), r.body());
            JsonNode error = JSON.readTree(r.body()).get("error");
            assertEquals("invalid_request_error", error.get("type").asText(), r.body());
            assertTrue(error.get("message").asText().contains("context"), r.body());
            assertEquals(400, peer.post("/v1/chat/completions", tooLarge).status(), "the peer refuses it too");
            Both ok = ask(box, peer, chat(8, image(100, 80, 8), text("What is it?")));
            assertSameAnswer(ok);
        }
    }
}
