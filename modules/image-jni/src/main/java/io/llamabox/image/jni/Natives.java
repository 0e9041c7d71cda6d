package io.llamabox.image.jni;

/**
 * Every native entry of {@code libllamabox-image}. The public classes validate arguments first so that
 * errors carry Java context; the native side checks them again. Text and paths cross as UTF-8 byte
 * arrays.
 */
final class Natives {
    private Natives() {
    }

    // process
    static native void init(int minimumLogLevel);
    static native byte[] systemInfo();
    static native byte[] version();
    static native byte[] commit();
    static native byte[] variant();
    static native byte[][] vocabularies();
    /** sd's sample method names, indexed by {@code enum sample_method_t}. */
    static native byte[][] sampleMethods();
    /** sd's scheduler names, indexed by {@code enum scheduler_t}. */
    static native byte[][] schedulers();
    static native int physicalCores();

    /**
     * Reads the headers of model, diffusion model, CLIP-L, CLIP-G, T5-XXL, VAE, TAESD and ControlNet
     * (empty arrays for absent ones; this order) and returns family, sd's version name and the
     * vocabularies the text encoders need.
     */
    static native byte[][] inspect(byte[][] paths);

    /** Reads a weights file's header (a LoRA's): throws if stable-diffusion.cpp cannot read it or it is cut short. */
    static native void checkWeights(byte[] path);

    // contexts
    static native long load(byte[][] paths, int threads, int rngType, int loraApplyMode, boolean flashAttention,
            boolean diffusionConvDirect, boolean vaeConvDirect, boolean eagerLoad, byte[] backend,
            byte[] paramsBackend);
    static native void free(long context);
    static native int defaultSampleMethod(long context);
    static native int defaultScheduler(long context, int sampleMethod);
    /** Callable from any thread while {@link #generate} runs. */
    static native void cancel(long context);
    static native void clearCancel(long context);

    /**
     * Runs generate_image on the calling thread. {@code ints}: clipSkip, width, height, sampleMethod
     * (-1 default), scheduler (-1 default), steps, batchCount, previewMode, previewInterval;
     * {@code floats}: cfgScale, imageCfgScale (NaN default), guidance, eta (NaN default), slgStart,
     * slgEnd, slgScale, strength, controlStrength; {@code images}: the init image (RGB), the mask (one channel)
     * and the control image (RGB), each possibly null, with width, height, channels of each in
     * {@code imageDims}. Returns the images' pixels and writes width, height, channels of each to {@code dims}.
     */
    static native byte[][] generate(long context, byte[] prompt, byte[] negativePrompt, int[] ints, float[] floats,
            long seed, int[] skipLayers, byte[][] loraPaths, float[] loraMultipliers, boolean vaeTiling,
            boolean previewNoisy, byte[][] images, int[] imageDims, GenerationRun callbacks, int[] dims);

    // upscalers
    /** new_upscaler_ctx over an ESRGAN file; {@code backend} empty for the default. Throws when it cannot load. */
    static native long upscalerLoad(byte[] path, int threads, boolean convDirect, int tileSize, byte[] backend);
    /** The model's scale (1, 2 or 4). */
    static native int upscalerFactor(long upscaler);
    /**
     * Upscales an RGB image {@code repeats} times on the calling thread; returns the pixels and writes
     * width, height, channels to {@code dims}.
     */
    static native byte[] upscale(long upscaler, byte[] pixels, int width, int height, int channels, int repeats,
            int[] dims);
    static native void upscalerFree(long upscaler);

    // control images
    /** preprocess_canny on a copy of an RGB image; returns the edge map as RGB. Pure computation, no lock needed. */
    static native byte[] canny(byte[] pixels, int width, int height, float high, float low, float weak, float strong,
            boolean inverse);
}
