package io.llamabox.jni;

/**
 * A WebP image decoded by the installed libwebp: the first frame (of a still or an animated file) as
 * RGB triples, row-major, alpha dropped.
 */
public record WebpImage(int width, int height, byte[] rgb) {

    /** Whether the bytes start like a WebP file ({@code RIFF....WEBP}). */
    public static boolean isWebp(byte[] data) {
        return data != null && data.length >= 12 && data[0] == 'R' && data[1] == 'I' && data[2] == 'F' && data[3] == 'F'
                && data[8] == 'W' && data[9] == 'E' && data[10] == 'B' && data[11] == 'P';
    }

    /**
     * Decodes {@code data}. Throws {@link IllegalArgumentException} when it is not a decodable WebP
     * image or has more than {@code maxPixels} pixels.
     */
    public static WebpImage decode(byte[] data, long maxPixels) {
        if (data == null || data.length == 0) {
            throw new IllegalArgumentException("no WebP data");
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be positive");
        }
        NativeLibrary.load();
        int[] size = new int[2];
        byte[] rgb = Natives.webpDecodeRgb(data, size, maxPixels);
        if (rgb == null) {
            long pixels = (long) size[0] * size[1];
            throw new IllegalArgumentException(pixels > maxPixels
                    ? "WebP image of " + size[0] + "x" + size[1] + " pixels exceeds the limit of " + maxPixels + " pixels"
                    : "not a decodable WebP image");
        }
        if (rgb.length != (long) size[0] * size[1] * 3) {
            throw new IllegalArgumentException("WebP frame does not match the image size " + size[0] + "x" + size[1]);
        }
        return new WebpImage(size[0], size[1], rgb);
    }
}
