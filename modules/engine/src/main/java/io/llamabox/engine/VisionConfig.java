package io.llamabox.engine;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the text engine takes images: the projector file ({@code --mmproj}) and the limits images must
 * meet before they reach libmtmd.
 *
 * @param projector    the multimodal projector GGUF
 * @param useGpu       whether the projector may run on a GPU device (it falls back to the CPU)
 * @param threads      CPU threads of the image encoder
 * @param maxImageSize images whose longer side exceeds it are scaled down to it, keeping their aspect
 *                     ratio ({@code --visual-max-image-size}); 0 keeps every size. Otherwise larger
 *                     than 224 and a multiple of 14
 * @param maxPixels    the largest image (width times height, as encoded) that is decoded at all
 */
public record VisionConfig(Path projector, boolean useGpu, int threads, int maxImageSize, long maxPixels) {
    /** 32 megapixels: a 8192 x 4096 panorama, or a 48-megapixel photo downsampled by its camera. */
    public static final long DEFAULT_MAX_PIXELS = 32L << 20;

    public VisionConfig {
        Objects.requireNonNull(projector, "projector");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (maxImageSize != 0 && (maxImageSize <= 224 || maxImageSize % 14 != 0)) {
            throw new IllegalArgumentException(
                    "maximum image size must be 0, or larger than 224 and a multiple of 14, got " + maxImageSize);
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("max pixels must be positive, got " + maxPixels);
        }
    }

    /** The projector with default limits and no resizing. */
    public static VisionConfig of(Path projector, int threads) {
        return new VisionConfig(projector, true, threads, 0, DEFAULT_MAX_PIXELS);
    }

    public VisionConfig withMaxImageSize(int v) {
        return new VisionConfig(projector, useGpu, threads, v, maxPixels);
    }

    public VisionConfig withMaxPixels(long v) {
        return new VisionConfig(projector, useGpu, threads, maxImageSize, v);
    }
}
