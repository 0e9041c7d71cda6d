package io.llamabox.engine;

import io.llamabox.spi.PromptImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** Small images for tests, encoded the way clients send them. */
final class TestImages {
    /**
     * WebP files written with the installed libwebp's encoder (WebPEncodeLosslessRGB, WebPEncodeRGB
     * at quality 90, and WebPAnimEncoder with two lossless frames).
     */
    static final byte[] WEBP_LOSSLESS_5X3 = Base64.getDecoder().decode(
            "UklGRkIAAABXRUJQVlA4TDUAAAAvBIAAAHdAkG0zrAPVH+MMIyMWTOZPFlH3/PcgBdi9AAYBIBGoWFJIIbgUVhg1ov/hIce+AAA=");
    /** Lossless 5x3: pixel (x, y) is (50x, 100y, 200 - 10x). */
    static int[] lossless5x3(int x, int y) {
        return new int[] {50 * x, 100 * y, 200 - 10 * x};
    }

    /** Lossy 32x24, flat (200, 40, 90). */
    static final byte[] WEBP_LOSSY_32X24 = Base64.getDecoder().decode(
            "UklGRkIAAABXRUJQVlA4IDYAAADQAgCdASogABgAPjEYikOiIaEUBAAgAwSygAAe0dAAAP7xlY09m///LQv/8tC//y0L/laAAAA=");
    /** Animated 8x8: a red frame, then a blue one. */
    static final byte[] WEBP_ANIMATED_8X8 = Base64.getDecoder().decode(
            "UklGRoQAAABXRUJQVlA4WAoAAAACAAAABwAABwAAQU5JTQYAAAD/////AABBTk1GKAAAAAAAAAAAAAcAAAcAAGQAAAJWUDhMDwAA"
                    + "AC8HwAEABxD9j/4HIqL/AQBBTk1GKAAAAAAAAAAAAAcAAAcAAGQAAABWUDhMDwAAAC8HwAEABxDR//4HIqL/AQA=");

    private TestImages() {
    }

    /** A colourful {@code w x h} picture that differs with {@code seed}. */
    static BufferedImage picture(int w, int h, int seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = (x * 7 + seed * 40) & 0xFF;
                int g = (y * 5 + seed * 90) & 0xFF;
                int b = ((x ^ y) * 3 + seed * 17) & 0xFF;
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no " + format + " writer");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] png(int w, int h, int seed) {
        return encode(picture(w, h, seed), "png");
    }

    static PromptImage prompt(byte[] data) {
        return new PromptImage(data, "test image of " + data.length + " bytes");
    }
}
