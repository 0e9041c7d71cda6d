package io.llamabox.image.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our generation and stable-diffusion.cpp's own sd-cli, built from the same sources and ggml, give the
 * same pixels for the same model, prompt, size, steps, sampler, scheduler, seed and threads.
 */
class SdCliParityTest {
    @TempDir
    Path dir;

    @Test
    void eulerAncestralAt256IsByteIdenticalToSdCli() throws Exception {
        assertSameAsPeer(GenerationParams.builder("a lighthouse on a cliff at dusk").size(256, 256).steps(2)
                .sampleMethod("euler_a").scheduler("discrete").cfgScale(7f).seed(42).build());
    }

    @Test
    void dpmWithKarrasAndANegativePromptIsByteIdenticalToSdCli() throws Exception {
        assertSameAsPeer(GenerationParams.builder("a bowl of fruit, oil painting").negativePrompt("blurry")
                .size(128, 192).steps(3).sampleMethod("dpm++2m").scheduler("karras").cfgScale(5f).seed(1234)
                .build());
    }

    @Test
    void aLoraAppliesAsInSdCli() throws Exception {
        Path lora = ImageFixtures.requireSd1Lora();
        assertSameAsPeer(GenerationParams.builder("a red car").size(128, 128).steps(2).sampleMethod("euler")
                .scheduler("discrete").seed(5).loras(List.of(new Lora(lora, 0.8f))).build());
    }

    @Test
    void imageToImageIsByteIdenticalToSdCli() throws Exception {
        assertSameAsPeer(GenerationParams.builder("a lighthouse, watercolour").size(128, 128).steps(4)
                .sampleMethod("euler").scheduler("discrete").seed(7).strength(0.6f)
                .initImage(gradient(128, 128)).build());
    }

    @Test
    void inpaintingWithAMaskIsByteIdenticalToSdCli() throws Exception {
        assertSameAsPeer(GenerationParams.builder("a cat sitting on a bench").size(128, 128).steps(4)
                .sampleMethod("euler_a").scheduler("karras").seed(11).strength(0.9f)
                .initImage(gradient(128, 128)).mask(leftHalf(128, 128)).build());
    }

    @Test
    void inpaintingOnAnInpaintingModelIsByteIdenticalToSdCli() throws Exception {
        // the 9-channel UNet reads the mask and the masked picture's latent besides the noisy latent
        Path model = ImageFixtures.requireSd1Inpaint();
        assertSameAsPeer(ImageFixtures.params(model), GenerationParams.builder("a cat sitting on a bench").size(128, 128)
                .steps(3).sampleMethod("euler").scheduler("discrete").seed(21).strength(1f)
                .initImage(gradient(128, 128)).mask(leftHalf(128, 128)).build());
    }

    @Test
    void decodingWithTaesdIsByteIdenticalToSdCli() throws Exception {
        Path taesd = ImageFixtures.requireTaesd();
        DiffusionModelParams model = DiffusionModelParams.builder(ImageFixtures.requireSd1()).taesd(taesd)
                .threads(ImageFixtures.THREADS).build();
        assertSameAsPeer(model, GenerationParams.builder("a lighthouse").size(128, 128).steps(2).sampleMethod("euler")
                .scheduler("discrete").seed(8).build());
    }

    @Test
    void imageToImageThroughTaesdIsByteIdenticalToSdCli() throws Exception {
        // with a TAESD, stable-diffusion.cpp encodes the init image with it too
        Path taesd = ImageFixtures.requireTaesd();
        DiffusionModelParams model = DiffusionModelParams.builder(ImageFixtures.requireSd1()).taesd(taesd)
                .threads(ImageFixtures.THREADS).build();
        assertSameAsPeer(model, GenerationParams.builder("a lighthouse").size(128, 128).steps(3).sampleMethod("euler")
                .scheduler("discrete").seed(9).strength(0.7f).initImage(gradient(128, 128)).build());
    }

    @Test
    void aControlNetWithAControlImageIsByteIdenticalToSdCli() throws Exception {
        DiffusionModelParams model = DiffusionModelParams.builder(ImageFixtures.requireSd1ForControlNet())
                .controlNet(ImageFixtures.requireSd1ControlNet()).threads(ImageFixtures.THREADS).build();
        assertSameAsPeer(model, GenerationParams.builder("a house").size(64, 64).steps(1).sampleMethod("euler")
                .scheduler("discrete").cfgScale(1f).seed(4).control(gradient(64, 64), 0.8f).build());
    }

    @Test
    void aControlNetOnOurCannyEdgesIsByteIdenticalToSdCliWithCanny() throws Exception {
        DiffusionModelParams model = DiffusionModelParams.builder(ImageFixtures.requireSd1ForControlNet())
                .controlNet(ImageFixtures.requireSd1ControlNet()).threads(ImageFixtures.THREADS).build();
        GenerationParams ours = GenerationParams.builder("a house").size(64, 64).steps(1).sampleMethod("euler")
                .scheduler("discrete").cfgScale(1f).seed(4).control(ControlImages.canny(gradient(64, 64)), 1f).build();
        byte[] pixels;
        try (DiffusionContext context = DiffusionContext.load(model)) {
            pixels = context.generate(ours, GenerationListener.NONE).get(0).pixels();
        }
        // sd-cli gets the picture itself and runs the same edge detector on it
        GenerationParams peer = ours.toBuilder().control(gradient(64, 64), 1f).build();
        assertIdentical(pixels, sdCli(model, peer, List.of("--canny")));
    }

    @Test
    void theMaskKeepsWhatItDoesNotCover() throws Exception {
        GenerationParams whole = GenerationParams.builder("a cat").size(128, 128).steps(3).sampleMethod("euler")
                .seed(3).strength(0.9f).initImage(gradient(128, 128)).build();
        try (DiffusionContext context = DiffusionContext.load(ImageFixtures.params(ImageFixtures.requireSd1()))) {
            byte[] repainted = context.generate(whole, GenerationListener.NONE).get(0).pixels();
            byte[] masked = context.generate(whole.toBuilder().mask(leftHalf(128, 128)).build(),
                    GenerationListener.NONE).get(0).pixels();
            assertTrue(differs(repainted, masked, 0, 64), "the masked half is repainted, the other kept: images differ");
        }
    }

    /** A smooth RGB picture with structure in both directions. */
    static RawImage gradient(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = 3 * (y * w + x);
                rgb[i] = (byte) (255 * x / (w - 1));
                rgb[i + 1] = (byte) (255 * y / (h - 1));
                rgb[i + 2] = (byte) (((x / 16) + (y / 16)) % 2 == 0 ? 200 : 40);
            }
        }
        return new RawImage(w, h, 3, rgb);
    }

    /** A mask that repaints the left half (255) and keeps the right (0). */
    static RawImage leftHalf(int w, int h) {
        byte[] gray = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w / 2; x++) {
                gray[y * w + x] = (byte) 255;
            }
        }
        return new RawImage(w, h, 1, gray);
    }

    private static boolean differs(byte[] a, byte[] b, int fromColumn, int toColumn) {
        int width = 128;
        for (int i = 0; i < a.length; i++) {
            int x = (i / 3) % width;
            if (x >= fromColumn && x < toColumn && a[i] != b[i]) {
                return true;
            }
        }
        return false;
    }

    private void assertSameAsPeer(GenerationParams params) throws Exception {
        assertSameAsPeer(ImageFixtures.params(ImageFixtures.requireSd1()), params);
    }

    private void assertSameAsPeer(DiffusionModelParams model, GenerationParams params) throws Exception {
        byte[] ours;
        try (DiffusionContext context = DiffusionContext.load(model)) {
            ours = context.generate(params, GenerationListener.NONE).get(0).pixels();
        }
        byte[] peer = sdCli(model, params, List.of());
        assertIdentical(ours, peer);
    }

    /** The images are equal byte for byte, and not flat, so that equality means something. */
    static void assertIdentical(byte[] ours, byte[] peer) {
        assertTrue(distinctValues(ours) > 16, "the image is not flat, so equality means something");
        assertEquals(ours.length, peer.length, "pixel count");
        int differing = 0;
        for (int i = 0; i < ours.length; i++) {
            if (ours[i] != peer[i]) {
                differing++;
            }
        }
        assertEquals(0, differing, "bytes that differ from sd-cli's image, of " + ours.length);
    }

    private static long distinctValues(byte[] bytes) {
        boolean[] seen = new boolean[256];
        long n = 0;
        for (byte b : bytes) {
            if (!seen[b & 0xff]) {
                seen[b & 0xff] = true;
                n++;
            }
        }
        return n;
    }

    /** Writes an RGB or one-channel image as a PNG file for sd-cli. */
    static Path png(RawImage image, Path file) throws IOException {
        boolean gray = image.channels() == 1;
        BufferedImage out = new BufferedImage(image.width(), image.height(),
                gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        byte[] p = image.pixels();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int i = y * image.width() + x;
                if (gray) {
                    out.getRaster().setSample(x, y, 0, p[i] & 0xff);
                } else {
                    out.setRGB(x, y, (p[3 * i] & 0xff) << 16 | (p[3 * i + 1] & 0xff) << 8 | (p[3 * i + 2] & 0xff));
                }
            }
        }
        ImageIO.write(out, "png", file.toFile());
        return file;
    }

    /** The pixels of a PNG file sd-cli wrote, as RGB bytes. */
    static RawImage readPng(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        byte[] rgb = new byte[image.getWidth() * image.getHeight() * 3];
        int i = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int argb = image.getRGB(x, y);
                rgb[i++] = (byte) (argb >> 16);
                rgb[i++] = (byte) (argb >> 8);
                rgb[i++] = (byte) argb;
            }
        }
        return new RawImage(image.getWidth(), image.getHeight(), 3, rgb);
    }

    /** Runs sd-cli to its end, its output in {@code log}. */
    static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), "sd-cli finished");
        assertEquals(0, process.exitValue(), "sd-cli exit status; its output is in " + log);
    }

    /** Runs sd-cli with the same settings, and {@code extra} arguments, and returns its PNG's pixels as RGB bytes. */
    private byte[] sdCli(DiffusionModelParams model, GenerationParams p, List<String> extra)
            throws IOException, InterruptedException {
        Path out = dir.resolve("peer.png");
        Path log = dir.resolve("peer.log");
        // sd-cli takes LoRAs from the prompt: <lora:PATH:MULTIPLIER>, PATH absolute here
        StringBuilder prompt = new StringBuilder(p.prompt());
        for (Lora lora : p.loras()) {
            prompt.append("<lora:").append(lora.path().toAbsolutePath()).append(':').append(lora.multiplier()).append('>');
        }
        List<String> command = new ArrayList<>(List.of(ImageFixtures.sdCli().toString(),
                "-m", model.model().toString(), "-p", prompt.toString(), "-n", p.negativePrompt(),
                "-W", Integer.toString(p.width()), "-H", Integer.toString(p.height()),
                "--steps", Integer.toString(p.steps()), "--cfg-scale", Float.toString(p.cfgScale()),
                "--sampling-method", p.sampleMethod(), "--scheduler", p.scheduler(),
                "-s", Long.toString(p.seed()), "-t", Integer.toString(ImageFixtures.THREADS),
                "-o", out.toString()));
        if (!p.loras().isEmpty()) {
            command.addAll(List.of("--lora-model-dir", dir.toString()));
        }
        if (p.initImage() != null) {
            command.addAll(List.of("-i", png(p.initImage(), dir.resolve("init.png")).toString(),
                    "--strength", Float.toString(p.strength())));
        }
        if (p.mask() != null) {
            command.addAll(List.of("--mask", png(p.mask(), dir.resolve("mask.png")).toString()));
        }
        if (model.taesd() != null) {
            command.addAll(List.of("--taesd", model.taesd().toString()));
        }
        if (model.controlNet() != null) {
            command.addAll(List.of("--control-net", model.controlNet().toString()));
        }
        if (p.controlImage() != null) {
            command.addAll(List.of("--control-image", png(p.controlImage(), dir.resolve("control.png")).toString(),
                    "--control-strength", Float.toString(p.controlStrength())));
        }
        command.addAll(extra);
        run(command, log);
        RawImage image = readPng(out);
        assertEquals(p.width(), image.width());
        assertEquals(p.height(), image.height());
        return image.pixels();
    }
}
