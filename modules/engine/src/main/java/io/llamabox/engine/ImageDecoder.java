package io.llamabox.engine;

import io.llamabox.jni.WebpImage;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.concurrent.Semaphore;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns an encoded image into the RGB pixels libmtmd takes: PNG, JPEG, GIF (first frame), BMP and
 * TIFF through {@code javax.imageio}, WebP (first frame) through the installed libwebp. The size is
 * read from the header and checked before any pixel is decoded; images larger than the configured
 * maximum side are scaled down (area average) keeping their aspect ratio. Alpha is dropped and grey
 * levels are copied as they are, like the stb_image decoder of llama.cpp's own server.
 */
final class ImageDecoder {
    /** libmtmd's bitmaps (and any sane client) stay below this side. */
    static final int MAX_SIDE = 16384;

    /** Decoding holds full-size pixel buffers: only a few run at once, the others wait. */
    private static final Semaphore DECODING = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors() / 2));

    static {
        ImageIO.setUseCache(false); // decode in memory, never through temporary files
    }

    /** Decoded pixels: {@code width * height} RGB triples, row-major, and an id derived from them. */
    record Rgb(int width, int height, byte[] pixels, String id) {
    }

    private ImageDecoder() {
    }

    /**
     * Decodes, checks and (when {@code maxImageSize > 0} and the image is larger) resizes an image.
     * Throws {@link IllegalArgumentException} saying why when the data is no image it can read, or the
     * image has a side above {@value #MAX_SIDE} or more than {@code maxPixels} pixels.
     */
    static Rgb decode(byte[] data, int maxImageSize, long maxPixels) {
        if (data.length == 0) {
            throw new IllegalArgumentException("the image is empty");
        }
        try {
            DECODING.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to decode an image", e);
        }
        try {
            Rgb raw = WebpImage.isWebp(data) ? webp(data, maxPixels) : imageIo(data, maxImageSize, maxPixels);
            Rgb sized = maxImageSize > 0 ? fit(raw, maxImageSize) : raw;
            return new Rgb(sized.width, sized.height, sized.pixels, id(sized));
        } finally {
            DECODING.release();
        }
    }

    private static Rgb webp(byte[] data, long maxPixels) {
        WebpImage img = WebpImage.decode(data, maxPixels);
        checkSize(img.width(), img.height(), maxPixels);
        return new Rgb(img.width(), img.height(), img.rgb(), null);
    }

    private static Rgb imageIo(byte[] data, int maxImageSize, long maxPixels) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IllegalArgumentException("not an image format this server reads (PNG, JPEG, GIF, BMP, WebP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                checkSize(width, height, maxPixels);
                ImageReadParam param = reader.getDefaultReadParam();
                int step = subsampling(width, height, maxImageSize);
                if (step > 1) {
                    // far larger than needed: skip pixels while decoding, the area average does the rest
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                BufferedImage image = reader.read(0, param);
                return toRgb(image);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the image cannot be decoded: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            // readers fail on corrupt data with all kinds of unchecked exceptions
            throw new IllegalArgumentException("the image cannot be decoded: " + e, e);
        }
    }

    static void checkSize(int width, int height, long maxPixels) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("the image has no pixels (" + width + "x" + height + ")");
        }
        if (width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("the image is " + width + "x" + height + "; no side may exceed " + MAX_SIDE);
        }
        if ((long) width * height > maxPixels) {
            throw new IllegalArgumentException("the image is " + width + "x" + height + ", more than " + maxPixels + " pixels");
        }
    }

    /** Decoding every n-th pixel keeps at least twice the target size along the longer side. */
    private static int subsampling(int width, int height, int maxImageSize) {
        if (maxImageSize <= 0) {
            return 1;
        }
        return Math.max(1, Math.max(width, height) / (2 * maxImageSize));
    }

    private static Rgb toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        ColorModel cm = image.getColorModel();
        int[] row = new int[w];
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel)) {
            // grey samples are already display levels; converting them from the linear grey space would brighten them
            Raster raster = image.getRaster();
            int bits = cm.getComponentSize(0);
            int max = (1 << bits) - 1;
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                int o = y * w * 3;
                for (int x = 0; x < w; x++) {
                    int v = bits >= 8 ? row[x] >> (bits - 8) : row[x] * 255 / max;
                    out[o] = out[o + 1] = out[o + 2] = (byte) v;
                    o += 3;
                }
            }
        } else {
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                int o = y * w * 3;
                for (int x = 0; x < w; x++) {
                    int p = row[x];
                    out[o] = (byte) (p >> 16);
                    out[o + 1] = (byte) (p >> 8);
                    out[o + 2] = (byte) p;
                    o += 3;
                }
            }
        }
        return new Rgb(w, h, out, null);
    }

    /** The image unchanged when its longer side is within {@code max}, else scaled so that side is {@code max}. */
    static Rgb fit(Rgb img, int max) {
        int longer = Math.max(img.width, img.height);
        if (longer <= max) {
            return img;
        }
        double scale = (double) max / longer;
        int w = img.width >= img.height ? max : Math.max(1, (int) Math.round(img.width * scale));
        int h = img.height >= img.width ? max : Math.max(1, (int) Math.round(img.height * scale));
        return new Rgb(w, h, resize(img.pixels, img.width, img.height, w, h), null);
    }

    /** Area-average resampling (each target pixel is the mean of the source area it covers). */
    static byte[] resize(byte[] src, int sw, int sh, int dw, int dh) {
        Coverage cx = Coverage.of(sw, dw);
        Coverage cy = Coverage.of(sh, dh);
        // horizontal pass: sh rows of dw pixels
        float[] rows = new float[sh * dw * 3];
        for (int y = 0; y < sh; y++) {
            int srcRow = y * sw * 3;
            int dstRow = y * dw * 3;
            for (int x = 0; x < dw; x++) {
                float r = 0, g = 0, b = 0;
                for (int k = cx.start[x]; k < cx.start[x + 1]; k++) {
                    int i = srcRow + cx.index[k] * 3;
                    float wgt = cx.weight[k];
                    r += (src[i] & 0xFF) * wgt;
                    g += (src[i + 1] & 0xFF) * wgt;
                    b += (src[i + 2] & 0xFF) * wgt;
                }
                int o = dstRow + x * 3;
                rows[o] = r;
                rows[o + 1] = g;
                rows[o + 2] = b;
            }
        }
        byte[] out = new byte[dw * dh * 3];
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw * 3; x++) {
                float v = 0;
                for (int k = cy.start[y]; k < cy.start[y + 1]; k++) {
                    v += rows[cy.index[k] * dw * 3 + x] * cy.weight[k];
                }
                out[y * dw * 3 + x] = (byte) Math.min(255, Math.max(0, Math.round(v)));
            }
        }
        return out;
    }

    /** For each target pixel along one axis: the source pixels it covers and their weights (summing to 1). */
    private record Coverage(int[] start, int[] index, float[] weight) {
        static Coverage of(int source, int target) {
            double step = (double) source / target;
            int[] start = new int[target + 1];
            int[] index = new int[source + 2 * target];
            float[] weight = new float[index.length];
            int n = 0;
            for (int t = 0; t < target; t++) {
                start[t] = n;
                double from = t * step;
                double to = Math.min(source, (t + 1) * step);
                for (int s = (int) Math.floor(from); s < Math.ceil(to) && s < source; s++) {
                    double covered = Math.min(to, s + 1) - Math.max(from, s);
                    if (covered > 0) {
                        index[n] = s;
                        weight[n] = (float) (covered / step);
                        n++;
                    }
                }
            }
            start[target] = n;
            return new Coverage(start, index, weight);
        }
    }

    /** A digest of the pixels: the same picture sent twice (in any encoding) gets the same id. */
    private static String id(Rgb img) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((img.width + "x" + img.height + ":").getBytes(StandardCharsets.US_ASCII));
            md.update(img.pixels);
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
