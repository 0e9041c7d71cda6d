package io.llamabox.image.engine;

import io.llamabox.image.jni.RawImage;
import io.llamabox.spi.image.GeneratedImage;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Encodes what stable-diffusion.cpp hands over (RGB rows) as PNG files. */
final class PngImages {
    private PngImages() {
    }

    static GeneratedImage encode(RawImage raw) {
        if (raw.channels() != 3) {
            throw new IllegalArgumentException("expected RGB, got an image of " + raw.channels() + " channels");
        }
        BufferedImage image = new BufferedImage(raw.width(), raw.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        byte[] rgb = raw.pixels();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.width() * raw.height());
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        }
        return new GeneratedImage(raw.width(), raw.height(), out.toByteArray());
    }
}
