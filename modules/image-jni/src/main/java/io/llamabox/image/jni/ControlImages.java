package io.llamabox.image.jni;

/**
 * Preprocessing of control-net input images with stable-diffusion.cpp's own code, so that a control image
 * prepared here is the one sd-cli prepares.
 */
public final class ControlImages {
    /** sd-cli's {@code --canny} settings: thresholds on the normalised gradient, and the weak and strong edge values. */
    public static final float CANNY_HIGH_THRESHOLD = 0.08f;
    public static final float CANNY_LOW_THRESHOLD = 0.08f;
    public static final float CANNY_WEAK = 0.8f;
    public static final float CANNY_STRONG = 1.0f;

    private ControlImages() {
    }

    /** The Canny edge map of an RGB image with sd-cli's {@code --canny} settings: white edges on black, as RGB. */
    public static RawImage canny(RawImage image) {
        return canny(image, CANNY_HIGH_THRESHOLD, CANNY_LOW_THRESHOLD, CANNY_WEAK, CANNY_STRONG, false);
    }

    /**
     * The Canny edge map of an RGB image: Gaussian blur, Sobel gradients normalised to 0..1, non-maximum
     * suppression, then hysteresis (gradients at or above {@code high} become {@code strong}, those between
     * {@code low} and {@code high} become {@code weak}); {@code inverse} gives dark edges on white.
     *
     * @throws IllegalArgumentException for a null image, one that is not RGB, or thresholds and edge values
     *                                  that are not finite numbers in 0..1 with {@code low <= high}
     */
    public static RawImage canny(RawImage image, float high, float low, float weak, float strong, boolean inverse) {
        if (image == null) {
            throw new IllegalArgumentException("no control image");
        }
        if (image.channels() != 3) {
            throw new IllegalArgumentException("canny takes RGB images, got " + image.channels() + " channels");
        }
        checkUnit("high threshold", high);
        checkUnit("low threshold", low);
        checkUnit("weak edge value", weak);
        checkUnit("strong edge value", strong);
        if (low > high) {
            throw new IllegalArgumentException("the low threshold " + low + " is above the high " + high);
        }
        DiffusionLibrary.load();
        byte[] edges = Natives.canny(image.pixels(), image.width(), image.height(), high, low, weak, strong, inverse);
        return new RawImage(image.width(), image.height(), 3, edges);
    }

    private static void checkUnit(String what, float v) {
        if (!(v >= 0f && v <= 1f)) {
            throw new IllegalArgumentException(what + " must be within 0..1, got " + v);
        }
    }
}
