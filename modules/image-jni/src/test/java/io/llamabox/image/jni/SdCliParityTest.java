package io.llamabox.image.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
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

    private void assertSameAsPeer(GenerationParams params) throws Exception {
        Path model = ImageFixtures.requireSd1();
        byte[] ours;
        try (DiffusionContext context = DiffusionContext.load(ImageFixtures.params(model))) {
            ours = context.generate(params, GenerationListener.NONE).get(0).pixels();
        }
        byte[] peer = sdCli(model, params);
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

    /** Runs sd-cli with the same settings and returns its PNG's pixels as RGB bytes. */
    private byte[] sdCli(Path model, GenerationParams p) throws IOException, InterruptedException {
        Path out = dir.resolve("peer.png");
        Path log = dir.resolve("peer.log");
        // sd-cli takes LoRAs from the prompt: <lora:PATH:MULTIPLIER>, PATH absolute here
        StringBuilder prompt = new StringBuilder(p.prompt());
        for (Lora lora : p.loras()) {
            prompt.append("<lora:").append(lora.path().toAbsolutePath()).append(':').append(lora.multiplier()).append('>');
        }
        List<String> command = new ArrayList<>(List.of(ImageFixtures.sdCli().toString(),
                "-m", model.toString(), "-p", prompt.toString(), "-n", p.negativePrompt(),
                "-W", Integer.toString(p.width()), "-H", Integer.toString(p.height()),
                "--steps", Integer.toString(p.steps()), "--cfg-scale", Float.toString(p.cfgScale()),
                "--sampling-method", p.sampleMethod(), "--scheduler", p.scheduler(),
                "-s", Long.toString(p.seed()), "-t", Integer.toString(ImageFixtures.THREADS),
                "-o", out.toString()));
        if (!p.loras().isEmpty()) {
            command.addAll(List.of("--lora-model-dir", dir.toString()));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), "sd-cli finished");
        assertEquals(0, process.exitValue(), "sd-cli exit status; its output is in " + log);
        BufferedImage image = ImageIO.read(out.toFile());
        assertEquals(p.width(), image.getWidth());
        assertEquals(p.height(), image.getHeight());
        byte[] rgb = new byte[p.width() * p.height() * 3];
        int i = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int argb = image.getRGB(x, y);
                rgb[i++] = (byte) (argb >> 16);
                rgb[i++] = (byte) (argb >> 8);
                rgb[i++] = (byte) argb;
            }
        }
        assertTrue(Files.size(out) > 0);
        return rgb;
    }
}
