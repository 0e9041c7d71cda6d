package io.llamabox.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {
    private static final long PIXELS = VisionConfig.DEFAULT_MAX_PIXELS;

    private static int[] pixel(ImageDecoder.Rgb img, int x, int y) {
        int i = (y * img.width() + x) * 3;
        byte[] p = img.pixels();
        return new int[] {p[i] & 0xFF, p[i + 1] & 0xFF, p[i + 2] & 0xFF};
    }

    @Test
    void pngPixelsArriveExactly() {
        BufferedImage src = TestImages.picture(13, 7, 1);
        ImageDecoder.Rgb img = ImageDecoder.decode(TestImages.encode(src, "png"), 0, PIXELS);
        assertEquals(13, img.width());
        assertEquals(7, img.height());
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 13; x++) {
                int p = src.getRGB(x, y);
                assertArrayEquals(new int[] {p >> 16 & 0xFF, p >> 8 & 0xFF, p & 0xFF}, pixel(img, x, y));
            }
        }
    }

    @Test
    void theSamePixelsInAnotherLosslessFormatGetTheSameId() {
        BufferedImage src = TestImages.picture(20, 10, 2);
        ImageDecoder.Rgb png = ImageDecoder.decode(TestImages.encode(src, "png"), 0, PIXELS);
        ImageDecoder.Rgb bmp = ImageDecoder.decode(TestImages.encode(src, "bmp"), 0, PIXELS);
        assertArrayEquals(png.pixels(), bmp.pixels());
        assertEquals(png.id(), bmp.id());
        ImageDecoder.Rgb other = ImageDecoder.decode(TestImages.png(20, 10, 3), 0, PIXELS);
        assertNotEquals(png.id(), other.id());
    }

    @Test
    void greyLevelsAreCopiedAndAlphaIsDropped() {
        BufferedImage grey = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 4, 1, 0, new int[] {0, 60, 128, 255});
        ImageDecoder.Rgb g = ImageDecoder.decode(TestImages.encode(grey, "png"), 0, PIXELS);
        assertArrayEquals(new int[] {60, 60, 60}, pixel(g, 1, 0));
        assertArrayEquals(new int[] {128, 128, 128}, pixel(g, 2, 0));

        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x80102030);
        argb.setRGB(1, 0, 0xFF405060);
        ImageDecoder.Rgb a = ImageDecoder.decode(TestImages.encode(argb, "png"), 0, PIXELS);
        assertArrayEquals(new int[] {0x10, 0x20, 0x30}, pixel(a, 0, 0));
        assertArrayEquals(new int[] {0x40, 0x50, 0x60}, pixel(a, 1, 0));
    }

    @Test
    void aGifGivesItsFirstFrame() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.prepareWriteSequence(null);
            for (int color : new int[] {0xFF0000, 0x0000FF}) {
                BufferedImage frame = new BufferedImage(6, 6, BufferedImage.TYPE_INT_RGB);
                for (int i = 0; i < 36; i++) {
                    frame.setRGB(i % 6, i / 6, color);
                }
                writer.writeToSequence(new IIOImage(frame, null, null), null);
            }
            writer.endWriteSequence();
        }
        ImageDecoder.Rgb img = ImageDecoder.decode(out.toByteArray(), 0, PIXELS);
        assertEquals(6, img.width());
        assertArrayEquals(new int[] {255, 0, 0}, pixel(img, 3, 3));
    }

    @Test
    void jpegDecodesToNearlyTheSameColours() {
        BufferedImage flat = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 256; i++) {
            flat.setRGB(i % 16, i / 16, 0x3C78B4);
        }
        ImageDecoder.Rgb img = ImageDecoder.decode(TestImages.encode(flat, "jpeg"), 0, PIXELS);
        int[] p = pixel(img, 8, 8);
        assertTrue(Math.abs(p[0] - 0x3C) <= 4 && Math.abs(p[1] - 0x78) <= 4 && Math.abs(p[2] - 0xB4) <= 4,
                Arrays.toString(p));
    }

    @Test
    void webpImagesAreDecodedByLibwebp() {
        ImageDecoder.Rgb lossless = ImageDecoder.decode(TestImages.WEBP_LOSSLESS_5X3, 0, PIXELS);
        assertEquals(5, lossless.width());
        assertEquals(3, lossless.height());
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                assertArrayEquals(TestImages.lossless5x3(x, y), pixel(lossless, x, y), x + "," + y);
            }
        }
        ImageDecoder.Rgb lossy = ImageDecoder.decode(TestImages.WEBP_LOSSY_32X24, 0, PIXELS);
        assertEquals(32, lossy.width());
        assertEquals(24, lossy.height());
        int[] p = pixel(lossy, 16, 12);
        assertTrue(Math.abs(p[0] - 200) <= 6 && Math.abs(p[1] - 40) <= 6 && Math.abs(p[2] - 90) <= 6, Arrays.toString(p));
        ImageDecoder.Rgb animated = ImageDecoder.decode(TestImages.WEBP_ANIMATED_8X8, 0, PIXELS);
        assertEquals(8, animated.width());
        assertArrayEquals(new int[] {255, 0, 0}, pixel(animated, 4, 4), "the first frame");
    }

    @Test
    void largerImagesAreScaledDownKeepingTheirAspectRatio() {
        BufferedImage flat = new BufferedImage(1000, 500, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 500; y++) {
            for (int x = 0; x < 1000; x++) {
                flat.setRGB(x, y, x < 500 ? 0x204060 : 0xC0A080);
            }
        }
        byte[] png = TestImages.encode(flat, "png");
        ImageDecoder.Rgb img = ImageDecoder.decode(png, 238, PIXELS);
        assertEquals(238, img.width());
        assertEquals(119, img.height());
        assertArrayEquals(new int[] {0x20, 0x40, 0x60}, pixel(img, 10, 60));
        assertArrayEquals(new int[] {0xC0, 0xA0, 0x80}, pixel(img, 230, 60));
        ImageDecoder.Rgb small = ImageDecoder.decode(TestImages.png(200, 100, 1), 238, PIXELS);
        assertEquals(200, small.width(), "an image within the limit keeps its size");

        // far above the limit: subsampled while decoding, then averaged; a portrait keeps its shape too
        BufferedImage tall = new BufferedImage(300, 2100, BufferedImage.TYPE_INT_RGB);
        ImageDecoder.Rgb t = ImageDecoder.decode(TestImages.encode(tall, "png"), 252, PIXELS);
        assertEquals(252, t.height());
        assertEquals(36, t.width());
    }

    @Test
    void areaAverageKeepsTheMeanOfEachCoveredArea() {
        // 3 pixels to 2: the middle source pixel is shared half and half
        byte[] src = {0, 0, 0, 90, 90, 90, (byte) 180, (byte) 180, (byte) 180};
        byte[] out = ImageDecoder.resize(src, 3, 1, 2, 1);
        assertEquals(30, out[0] & 0xFF);
        assertEquals(150, out[3] & 0xFF);
    }

    @Test
    void brokenOrOversizedImagesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ImageDecoder.decode(new byte[0], 0, PIXELS));
        assertThrows(IllegalArgumentException.class,
                () -> ImageDecoder.decode("not an image at all".getBytes(), 0, PIXELS));
        byte[] png = TestImages.png(64, 64, 1);
        assertThrows(IllegalArgumentException.class,
                () -> ImageDecoder.decode(Arrays.copyOf(png, png.length / 2), 0, PIXELS), "truncated");
        byte[] webp = TestImages.WEBP_LOSSLESS_5X3.clone();
        Arrays.fill(webp, 20, webp.length, (byte) 0x5A);
        assertThrows(IllegalArgumentException.class, () -> ImageDecoder.decode(webp, 0, PIXELS), "corrupt WebP");
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> ImageDecoder.decode(png, 0, 64 * 64 - 1));
        assertTrue(big.getMessage().contains("64x64"), big.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageDecoder.decode(TestImages.WEBP_LOSSY_32X24, 0, 100));
        byte[] wide = TestImages.encode(new BufferedImage(ImageDecoder.MAX_SIDE + 1, 1, BufferedImage.TYPE_INT_RGB), "png");
        assertThrows(IllegalArgumentException.class, () -> ImageDecoder.decode(wide, 0, PIXELS));
    }
}
