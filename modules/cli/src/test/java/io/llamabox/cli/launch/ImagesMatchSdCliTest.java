package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.model.TestModels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code llama-box --images} on a generated SD 1.x model answers {@code /v1/images/generations} with the
 * pixels stable-diffusion.cpp's own {@code sd-cli} (same sources, same ggml) draws for the same model, prompt,
 * seed, sampler, schedule, steps, CFG scale, size and LoRA: byte for byte, no tolerance.
 */
class ImagesMatchSdCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningBox box;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        box = new RunningBox("--images", "-m", TestModels.sd1().toString(), "-t", "2",
                "--lora", TestModels.sd1Lora().toString(), "--lora-init-without-apply");
    }

    @AfterAll
    static void stop() {
        box.close();
    }

    /** The settings of one image, as the request and sd-cli's command line both carry them. */
    private record Settings(String prompt, String negative, int width, int height, String sampler, String schedule,
            int steps, double cfg, long seed, float lora) {
        String body(int n) {
            String lora = this.lora == 0 ? "" : ",\"lora\":[{\"id\":0,\"scale\":" + this.lora + "}]";
            return "{\"prompt\":\"" + prompt + "\",\"negative_prompt\":\"" + negative + "\",\"size\":\"" + width + "x"
                    + height + "\",\"n\":" + n + ",\"sample_method\":\"" + sampler + "\",\"schedule_method\":\""
                    + schedule + "\",\"sampling_steps\":" + steps + ",\"cfg_scale\":" + cfg + ",\"seed\":" + seed
                    + ",\"response_format\":\"b64_json\"" + lora + "}";
        }

        Settings seed(long s) {
            return new Settings(prompt, negative, width, height, sampler, schedule, steps, cfg, s, lora);
        }
    }

    private List<int[]> ours(Settings s, int n) throws Exception {
        HttpResponse<String> r = box.post("/v1/images/generations", s.body(n));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode data = JSON.readTree(r.body()).get("data");
        assertEquals(n, data.size(), r.body());
        List<int[]> images = new ArrayList<>();
        for (JsonNode d : data) {
            images.add(pixels(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(d.get("b64_json")
                    .asText()))), s));
        }
        return images;
    }

    /** An edit of {@code picture} (and {@code mask}) through {@code /v1/images/edits}, as a multipart form. */
    private int[] oursEdit(Settings s, Path picture, Path mask, double strength) throws Exception {
        String boundary = "llamaboxEditBoundary42";
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        java.util.function.BiConsumer<String, String> field = (name, value) -> body.writeBytes(("--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        field.accept("prompt", s.prompt());
        field.accept("size", s.width() + "x" + s.height());
        field.accept("sample_method", s.sampler());
        field.accept("schedule_method", s.schedule());
        field.accept("sampling_steps", String.valueOf(s.steps()));
        field.accept("cfg_scale", String.valueOf(s.cfg()));
        field.accept("seed", String.valueOf(s.seed()));
        field.accept("strength", String.valueOf(strength));
        for (Path file : mask == null ? List.of(picture) : List.of(picture, mask)) {
            String name = file == picture ? "image" : "mask";
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
                    + "\"; filename=\"" + file.getFileName() + "\"\r\nContent-Type: image/png\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            body.writeBytes(Files.readAllBytes(file));
            body.writeBytes("\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpResponse<String> r = box.http.send(java.net.http.HttpRequest.newBuilder(box.uri("/v1/images/edits"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        String b64 = JSON.readTree(r.body()).at("/data/0/b64_json").asText();
        return pixels(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(b64))), s);
    }

    private int[] sdCli(Settings s) throws Exception {
        return sdCli(s, List.of());
    }

    private int[] sdCli(Settings s, List<String> more) throws Exception {
        Path out = dir.resolve("sd-cli-" + s.seed() + ".png");
        Path log = dir.resolve("sd-cli-" + s.seed() + ".log");
        Path nativeDir = Path.of(System.getProperty("llamabox.image.library.path"));
        Path cli = (Files.isDirectory(nativeDir) ? nativeDir : nativeDir.getParent()).resolve("sd-cli");
        // sd-cli takes a LoRA from the prompt and removes the tag before encoding it
        String prompt = s.prompt() + (s.lora() == 0 ? "" : "<lora:" + TestModels.sd1Lora() + ":" + s.lora() + ">");
        List<String> command = new ArrayList<>(List.of(cli.toString(), "-m", TestModels.sd1().toString(), "-p", prompt,
                "-n", s.negative(), "-W", String.valueOf(s.width()), "-H", String.valueOf(s.height()),
                "--sampling-method", s.sampler(), "--scheduler", s.schedule(), "--steps", String.valueOf(s.steps()),
                "--cfg-scale", String.valueOf(s.cfg()), "-s", String.valueOf(s.seed()), "-t", "2",
                "-o", out.toString()));
        command.addAll(more);
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "sd-cli finished"); // a guard against a hang
        assertEquals(0, p.exitValue(), Files.readString(log));
        return pixels(ImageIO.read(out.toFile()), s);
    }

    private static int[] pixels(BufferedImage image, Settings s) {
        assertEquals(s.width(), image.getWidth());
        assertEquals(s.height(), image.getHeight());
        return image.getRGB(0, 0, s.width(), s.height(), null, 0, s.width());
    }

    private static void assertSame(int[] expected, int[] actual, String what) {
        assertEquals(expected.length, actual.length);
        int differing = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                differing++;
            }
        }
        assertEquals(0, differing, what + ": pixels that differ from sd-cli's, of " + expected.length);
        assertTrue(java.util.Arrays.stream(actual).distinct().count() > 16, "the image is not flat");
    }

    @Test
    void eulerAncestralOnTheDiscreteSchedule() throws Exception {
        Settings s = new Settings("a lighthouse on a cliff", "", 256, 256, "euler_a", "discrete", 2, 7.0, 42, 0);
        assertSame(sdCli(s), ours(s, 1).getFirst(), "euler_a/discrete");
    }

    @Test
    void twoImagesWithANegativePromptOnKarras() throws Exception {
        Settings s = new Settings("a bowl of fruit", "blurry", 256, 320, "dpm++2m", "karras", 3, 5.0, 1234, 0);
        List<int[]> both = ours(s, 2);
        assertSame(sdCli(s), both.get(0), "dpm++2m/karras, image 0");
        assertSame(sdCli(s.seed(1235)), both.get(1), "dpm++2m/karras, image 1 (the next seed)");
    }

    @Test
    void heunOnTheExponentialSchedule() throws Exception {
        Settings s = new Settings("a red car", "", 320, 256, "heun", "exponential", 2, 6.0, 7, 0);
        assertSame(sdCli(s), ours(s, 1).getFirst(), "heun/exponential");
    }

    @Test
    void aLoraScaledPerRequest() throws Exception {
        Settings s = new Settings("a cat", "", 256, 256, "euler", "discrete", 2, 7.0, 5, 0.8f);
        int[] with = ours(s, 1).getFirst();
        assertSame(sdCli(s), with, "euler with the LoRA at 0.8");
        Settings plain = new Settings("a cat", "", 256, 256, "euler", "discrete", 2, 7.0, 5, 0);
        assertTrue(!java.util.Arrays.equals(with, ours(plain, 1).getFirst()), "the LoRA changes the image");
    }

    @Test
    void anImageToImageEdit() throws Exception {
        Settings s = new Settings("a lighthouse, watercolour", "", 256, 256, "euler", "discrete", 4, 7.0, 9, 0);
        Path picture = png(pattern(256, 256, false), "picture.png");
        assertSame(sdCli(s, List.of("-i", picture.toString(), "--strength", "0.6")), oursEdit(s, picture, null, 0.6),
                "image-to-image at strength 0.6");
    }

    @Test
    void anInpaintingEditWithAMask() throws Exception {
        Settings s = new Settings("a cat on a bench", "", 256, 256, "euler_a", "karras", 4, 7.0, 21, 0);
        Path picture = png(pattern(256, 256, false), "picture.png");
        Path mask = png(pattern(256, 256, true), "mask.png");
        assertSame(sdCli(s, List.of("-i", picture.toString(), "--mask", mask.toString(), "--strength", "0.9")),
                oursEdit(s, picture, mask, 0.9), "inpainting the left half at strength 0.9");
    }

    /** A picture with structure in both directions, or (mask) white on the left half and black on the right. */
    private static BufferedImage pattern(int w, int h, boolean mask) {
        BufferedImage image = new BufferedImage(w, h, mask ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (mask) {
                    image.getRaster().setSample(x, y, 0, x < w / 2 ? 255 : 0);
                } else {
                    image.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | ((x / 32 + y / 32) % 2) * 200);
                }
            }
        }
        return image;
    }

    private Path png(BufferedImage image, String name) throws Exception {
        Path file = dir.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
