package io.llamabox.jni;

/** An RGB image for libmtmd: width x height x 3 bytes, row-major. */
public final class MtmdBitmap extends NativeHandle {
    private final int width, height;

    private MtmdBitmap(int width, int height, long pointer) {
        super("bitmap", pointer);
        this.width = width;
        this.height = height;
    }

    /** {@code id} identifies the image for prompt caching (e.g. a hash of its bytes); may be null. */
    public static MtmdBitmap ofRgb(int width, int height, byte[] rgb, String id) {
        NativeLibrary.load();
        if (width < 1 || height < 1 || width > 16384 || height > 16384) {
            throw new IllegalArgumentException("image size out of range: " + width + "x" + height);
        }
        if (rgb == null || rgb.length != width * height * 3) {
            throw new IllegalArgumentException("RGB data must hold width*height*3 bytes");
        }
        return new MtmdBitmap(width, height, Natives.bitmapNew(width, height, rgb, Text.utf8(id)));
    }

    public int width() { return width; }
    public int height() { return height; }

    @Override
    void free(long pointer) {
        Natives.bitmapFree(pointer);
    }
}
