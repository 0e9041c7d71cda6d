package io.llamabox.server.images;

import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.FormPart;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The picture and mask of an edit, decoded in Java (PNG, JPEG, BMP, GIF: what the JDK reads) and brought to the
 * request's size before anything reaches the engine.
 *
 * <p>Masks: a mask with transparency follows OpenAI's convention (transparent pixels are repainted, opaque ones
 * kept); an opaque mask follows Stable Diffusion's (white repainted, black kept, grey by its brightness, as
 * stable-diffusion.cpp rounds it). The two cannot be confused: an opaque mask has no transparent pixel.
 */
final class EditPictures {
    /** The most pixels a picture may have before it is decoded (a 16384 x 16384 picture). */
    static final long MAX_PIXELS = 16384L * 16384L;
    static final String INVALID_IMAGE = "Invalid image";

    private EditPictures() {
    }

    /** Decodes a part as a picture; anything the JDK cannot read, or too large, is the spec's "Invalid image". */
    static BufferedImage decode(FormPart part, String field) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(part.data()))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw invalid(field, "is not a PNG, JPEG, BMP or GIF picture");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels <= 0 || pixels > MAX_PIXELS) {
                    throw invalid(field, "is " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + ", more pixels than " + MAX_PIXELS);
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiException api) {
                throw api;
            }
            throw invalid(field, "cannot be decoded: " + e.getMessage());
        }
    }

    /** The picture at this size, 3 bytes a pixel (RGB); transparency is dropped, as stable-diffusion.cpp does. */
    static byte[] rgb(BufferedImage picture, int width, int height) {
        BufferedImage at = scaled(picture, width, height);
        byte[] out = new byte[width * height * 3];
        int i = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int argb = argb(at, x, y);
                out[i++] = (byte) (argb >> 16);
                out[i++] = (byte) (argb >> 8);
                out[i++] = (byte) argb;
            }
        }
        return out;
    }

    /** The mask at this size, one byte a pixel: 255 repaint, 0 keep (see the class comment for the conventions). */
    static byte[] mask(BufferedImage mask, int width, int height) {
        boolean transparency = hasTransparentPixel(mask);
        BufferedImage at = scaled(mask, width, height);
        byte[] out = new byte[width * height];
        int i = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int argb = argb(at, x, y);
                if (transparency) {
                    out[i++] = (byte) ((argb >>> 24) < 128 ? 255 : 0);
                } else {
                    // the luma stb_image (and so sd-cli) takes from an RGB mask
                    int r = (argb >> 16) & 0xff;
                    int g = (argb >> 8) & 0xff;
                    int b = argb & 0xff;
                    out[i++] = (byte) ((r * 77 + g * 150 + b * 29) >> 8);
                }
            }
        }
        return out;
    }

    /** The size an edit gets when it names none: the picture's, each side down to a multiple of 64, within limits. */
    static int[] defaultSize(BufferedImage picture, int maxWidth, int maxHeight, int step, int minSide) {
        return new int[] {side(picture.getWidth(), maxWidth, step, minSide),
            side(picture.getHeight(), maxHeight, step, minSide)};
    }

    private static int side(int pixels, int max, int step, int min) {
        int rounded = pixels / step * step;
        return Math.max(min, Math.min(rounded, max / step * step));
    }

    private static boolean hasTransparentPixel(BufferedImage image) {
        if (!image.getColorModel().hasAlpha()) {
            return false;
        }
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((argb(image, x, y) >>> 24) != 0xff) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A pixel as ARGB with its stored values: grey pictures are read from their samples, since the JDK's own
     * conversion of a grey colour space to RGB changes the values (it treats them as linear light).
     */
    private static int argb(BufferedImage image, int x, int y) {
        if (image.getColorModel() instanceof IndexColorModel
                || image.getColorModel().getColorSpace().getType() != ColorSpace.TYPE_GRAY) {
            return image.getRGB(x, y);
        }
        Raster raster = image.getRaster();
        int grey = eightBits(raster, x, y, 0);
        int alpha = raster.getNumBands() > 1 ? eightBits(raster, x, y, 1) : 0xff;
        return alpha << 24 | grey << 16 | grey << 8 | grey;
    }

    private static int eightBits(Raster raster, int x, int y, int band) {
        int bits = raster.getSampleModel().getSampleSize(band);
        int v = raster.getSample(x, y, band);
        return bits == 8 ? v : bits > 8 ? v >> (bits - 8) : v * 255 / ((1 << bits) - 1);
    }

    private static BufferedImage scaled(BufferedImage image, int width, int height) {
        if (image.getWidth() == width && image.getHeight() == height) {
            return image;
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        // grey pictures go through argb() first, so that scaling starts from their stored values
        BufferedImage source = image;
        if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && !(image.getColorModel() instanceof IndexColorModel)) {
            source = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_ARGB);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    source.setRGB(x, y, argb(image, x, y));
                }
            }
        }
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static ApiException invalid(String field, String why) {
        return ApiException.invalid(INVALID_IMAGE + ": the \"" + field + "\" part " + why);
    }
}
