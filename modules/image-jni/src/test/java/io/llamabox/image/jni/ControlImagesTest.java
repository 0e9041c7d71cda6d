package io.llamabox.image.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ControlImagesTest {

    /** Left half black, right half white: one vertical edge in the middle. */
    private static RawImage step(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            if (i % w >= w / 2) {
                rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = (byte) 255;
            }
        }
        return new RawImage(w, h, 3, rgb);
    }

    @Test
    void cannyMarksTheEdgeAndNothingFarFromIt() {
        RawImage edges = ControlImages.canny(step(32, 32));
        assertEquals(32, edges.width());
        assertEquals(3, edges.channels());
        byte[] p = edges.pixels();
        int near = 0;
        for (int y = 4; y < 28; y++) {
            for (int x = 0; x < 32; x++) {
                int v = p[3 * (y * 32 + x)] & 0xff;
                assertEquals(v, p[3 * (y * 32 + x) + 1] & 0xff, "grey: all channels alike");
                if (Math.abs(x - 16) > 3) {
                    assertEquals(0, v, "no edge at x=" + x + ", y=" + y);
                } else if (v == 255) {
                    near++;
                }
            }
        }
        assertTrue(near >= 24, "a strong edge along the step in every inner row, got " + near + " pixels");
    }

    @Test
    void inverseGivesDarkEdgesOnWhite() {
        byte[] normal = ControlImages.canny(step(32, 32)).pixels();
        byte[] inverse = ControlImages.canny(step(32, 32), ControlImages.CANNY_HIGH_THRESHOLD,
                ControlImages.CANNY_LOW_THRESHOLD, ControlImages.CANNY_WEAK, ControlImages.CANNY_STRONG, true).pixels();
        for (int i = 0; i < normal.length; i++) {
            assertTrue(Math.abs((255 - (normal[i] & 0xff)) - (inverse[i] & 0xff)) <= 1, "pixel " + i);
        }
    }

    @Test
    void badInputIsRefusedBeforeNativeCode() {
        assertThrows(IllegalArgumentException.class, () -> ControlImages.canny(null));
        assertThrows(IllegalArgumentException.class, () -> ControlImages.canny(SdCliParityTest.leftHalf(8, 8)));
        RawImage rgb = step(8, 8);
        assertThrows(IllegalArgumentException.class, () -> ControlImages.canny(rgb, 0.1f, 0.2f, 0.8f, 1f, false));
        assertThrows(IllegalArgumentException.class, () -> ControlImages.canny(rgb, Float.NaN, 0.1f, 0.8f, 1f, false));
        assertThrows(IllegalArgumentException.class, () -> ControlImages.canny(rgb, 0.1f, 0.1f, 1.5f, 1f, false));
    }
}
