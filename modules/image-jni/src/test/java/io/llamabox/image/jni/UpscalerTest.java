package io.llamabox.image.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ESRGAN upscaling through the library, against sd-cli's upscale mode ({@code -M upscale}). */
class UpscalerTest {
    @TempDir
    Path dir;

    @Test
    void twoRepeatsAreByteIdenticalToSdCli() throws Exception {
        assertSameAsPeer(SdCliParityTest.gradient(16, 16), 2, Upscaler.DEFAULT_TILE_SIZE);
    }

    @Test
    void tiledUpscalingOfAnOblongImageIsByteIdenticalToSdCli() throws Exception {
        // 40x24 in tiles of 16: overlapping tiles, merged as sd-cli merges them
        assertSameAsPeer(SdCliParityTest.gradient(40, 24), 1, 16);
    }

    @Test
    void theFactorIsTheModelsScaleAndEveryRepeatAppliesIt() {
        try (Upscaler upscaler = Upscaler.load(ImageFixtures.requireEsrgan(), ImageFixtures.THREADS)) {
            assertEquals(4, upscaler.factor());
            RawImage once = upscaler.upscale(SdCliParityTest.gradient(8, 6), 1);
            assertEquals(List.of(32, 24, 3), List.of(once.width(), once.height(), once.channels()));
            RawImage twice = upscaler.upscale(SdCliParityTest.gradient(8, 6), 2);
            assertEquals(List.of(128, 96), List.of(twice.width(), twice.height()));
        }
    }

    @Test
    void badArgumentsAreRefusedBeforeNativeCode() {
        Path model = ImageFixtures.requireEsrgan();
        assertThrows(IllegalArgumentException.class, () -> Upscaler.load(null, 1));
        assertThrows(IllegalArgumentException.class, () -> Upscaler.load(model, 0));
        assertThrows(IllegalArgumentException.class, () -> Upscaler.load(model, 1, 0));
        assertThrows(DiffusionException.class, () -> Upscaler.load(dir.resolve("absent.gguf"), 1));
        try (Upscaler upscaler = Upscaler.load(model, 1)) {
            assertThrows(IllegalArgumentException.class, () -> upscaler.upscale(null, 1));
            assertThrows(IllegalArgumentException.class, () -> upscaler.upscale(SdCliParityTest.gradient(8, 8), 0));
            assertThrows(IllegalArgumentException.class, () -> upscaler.upscale(SdCliParityTest.leftHalf(8, 8), 1),
                    "a one-channel image");
            assertThrows(IllegalArgumentException.class,
                    () -> upscaler.upscale(new RawImage(4096, 4096, 3, new byte[4096 * 4096 * 3]), 2),
                    "a result beyond one Java array");
        }
    }

    @Test
    void filesThatAreNotAnUpscalerFailCleanly() throws Exception {
        Path garbage = Files.write(dir.resolve("garbage.gguf"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertThrows(DiffusionException.class, () -> Upscaler.load(garbage, 1));
        // a diffusion model holds no ESRGAN tensors: stable-diffusion.cpp's load fails, and so does ours
        assertThrows(DiffusionException.class, () -> Upscaler.load(ImageFixtures.requireTaesd(), 1));
    }

    @Test
    void aClosedUpscalerRefusesCallsAndClosesOnce() {
        Upscaler upscaler = Upscaler.load(ImageFixtures.requireEsrgan(), 1);
        upscaler.close();
        assertTrue(upscaler.isClosed());
        assertThrows(IllegalStateException.class, upscaler::factor);
        assertThrows(IllegalStateException.class, () -> upscaler.upscale(SdCliParityTest.gradient(8, 8), 1));
        upscaler.close();
    }

    private void assertSameAsPeer(RawImage input, int repeats, int tileSize) throws Exception {
        Path model = ImageFixtures.requireEsrgan();
        RawImage ours;
        try (Upscaler upscaler = Upscaler.load(model, ImageFixtures.THREADS, tileSize)) {
            ours = upscaler.upscale(input, repeats);
        }
        Path out = dir.resolve("peer.png");
        SdCliParityTest.run(List.of(ImageFixtures.sdCli().toString(), "-M", "upscale",
                "-i", SdCliParityTest.png(input, dir.resolve("input.png")).toString(),
                "--upscale-model", model.toString(), "--upscale-repeats", Integer.toString(repeats),
                "--upscale-tile-size", Integer.toString(tileSize), "-t", Integer.toString(ImageFixtures.THREADS),
                "-o", out.toString()), dir.resolve("peer.log"));
        RawImage peer = SdCliParityTest.readPng(out);
        assertEquals(List.of(peer.width(), peer.height()), List.of(ours.width(), ours.height()));
        SdCliParityTest.assertIdentical(ours.pixels(), peer.pixels());
    }
}
