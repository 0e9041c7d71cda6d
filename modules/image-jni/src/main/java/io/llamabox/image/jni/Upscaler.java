package io.llamabox.image.jni;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A loaded ESRGAN upscaler (stable-diffusion.cpp's {@code upscaler_ctx_t}): upscales RGB images by the
 * model's factor, as many times as asked. The one owner of the native pointer: every call checks that it
 * is open, {@link #close()} frees it once. Calls run under the engine lock that generations take, one at
 * a time across the process, on the caller's thread.
 */
public final class Upscaler implements AutoCloseable {
    /** sd-cli's default tile side: larger inputs are upscaled in overlapping tiles of this size. */
    public static final int DEFAULT_TILE_SIZE = 128;

    private volatile long pointer;
    private final int factor;

    private Upscaler(long pointer, int factor) {
        this.pointer = pointer;
        this.factor = factor;
    }

    /** Loads {@code model} with sd-cli's defaults: {@link #DEFAULT_TILE_SIZE}, no direct convolution, the default backend. */
    public static Upscaler load(Path model, int threads) {
        return load(model, threads, DEFAULT_TILE_SIZE);
    }

    /**
     * Loads an ESRGAN model.
     *
     * @param model    the ESRGAN weights (RealESRGAN or ESRGAN layout, GGUF or safetensors)
     * @param threads  compute threads, at least 1
     * @param tileSize tile side in pixels, at least 1
     * @throws IllegalArgumentException for a null model, threads or tile size below 1
     * @throws DiffusionException       for a missing or unreadable file, or one stable-diffusion.cpp cannot
     *                                  load as an ESRGAN model
     */
    public static Upscaler load(Path model, int threads, int tileSize) {
        if (model == null) {
            throw new IllegalArgumentException("no upscaler model given");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (tileSize < 1) {
            throw new IllegalArgumentException("tile size must be at least 1, got " + tileSize);
        }
        if (!Files.isRegularFile(model)) {
            throw new DiffusionException("upscaler model not found: " + model);
        }
        if (!Files.isReadable(model)) {
            throw new DiffusionException("upscaler model not readable: " + model);
        }
        DiffusionLibrary.load();
        refuseInsideGeneration();
        DiffusionLibrary.ENGINE.lock();
        try {
            // stable-diffusion.cpp reads the file as ESRGAN whatever it holds: check that it is readable weights first
            Natives.checkWeights(DiffusionLibrary.bytes(model));
            long p = Natives.upscalerLoad(DiffusionLibrary.bytes(model), threads, false, tileSize, new byte[0]);
            int factor;
            try {
                factor = Natives.upscalerFactor(p);
            } catch (RuntimeException | Error e) {
                Natives.upscalerFree(p);
                throw e;
            }
            return new Upscaler(p, factor);
        } finally {
            DiffusionLibrary.ENGINE.unlock();
        }
    }

    /** How many times wider and taller one pass makes an image (the model's scale: 1, 2 or 4). */
    public int factor() {
        pointer();
        return factor;
    }

    /**
     * Upscales {@code image} {@code repeats} times, each pass feeding the next, as sd-cli's
     * {@code --upscale-repeats}.
     *
     * @throws IllegalArgumentException for a null image, one that is not RGB, repeats below 1, or a result
     *                                  too large for a Java array
     * @throws IllegalStateException    after {@link #close()}, or from inside a generation listener
     * @throws DiffusionException       when stable-diffusion.cpp fails
     */
    public RawImage upscale(RawImage image, int repeats) {
        if (image == null) {
            throw new IllegalArgumentException("no image to upscale");
        }
        if (image.channels() != 3) {
            throw new IllegalArgumentException("the upscaler takes RGB images, got " + image.channels() + " channels");
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
        }
        long scale = 1;
        for (int i = 0; i < repeats && scale <= Integer.MAX_VALUE; i++) {
            scale *= factor();
        }
        if ((double) image.width() * scale * image.height() * scale * 3 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("upscaling " + image.width() + "x" + image.height() + " by " + factor()
                    + " " + repeats + " times gives an image too large for one array");
        }
        refuseInsideGeneration();
        int[] dims = new int[3];
        byte[] pixels;
        DiffusionLibrary.ENGINE.lock();
        try {
            pixels = Natives.upscale(pointer(), image.pixels(), image.width(), image.height(), image.channels(),
                    repeats, dims);
        } finally {
            DiffusionLibrary.ENGINE.unlock();
        }
        return new RawImage(dims[0], dims[1], dims[2], pixels);
    }

    public boolean isClosed() {
        return pointer == 0;
    }

    /** Frees the native upscaler; later calls throw {@link IllegalStateException}, a second close does nothing. */
    @Override
    public void close() {
        if (pointer == 0) {
            return;
        }
        refuseInsideGeneration();
        DiffusionLibrary.ENGINE.lock();
        try {
            long p = pointer;
            pointer = 0;
            if (p != 0) {
                Natives.upscalerFree(p);
            }
        } finally {
            DiffusionLibrary.ENGINE.unlock();
        }
    }

    private long pointer() {
        long p = pointer;
        if (p == 0) {
            throw new IllegalStateException("upscaler is closed");
        }
        return p;
    }

    private static void refuseInsideGeneration() {
        if (DiffusionLibrary.ENGINE.isHeldByCurrentThread()) {
            throw new IllegalStateException("not allowed from inside a generation listener");
        }
    }
}
