package io.llamabox.image.jni;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A loaded model: owns stable-diffusion.cpp's {@code sd_ctx_t}, refuses use after {@link #close()} and
 * frees it once.
 *
 * <p>Every call that runs stable-diffusion.cpp takes one process-wide lock, because the engine's progress
 * and preview callbacks are process-wide: generations of all contexts run one at a time, each on its
 * caller's thread. {@link #cancel()} alone runs alongside, from any thread. Calls from inside a
 * {@link GenerationListener} other than the read-only ones are refused.
 */
public final class DiffusionContext implements AutoCloseable {
    private final Object cancelGuard = new Object();
    private final ModelInspection inspection;
    private final DiffusionModelParams params;
    private volatile long pointer;
    private boolean generating; // guarded by cancelGuard

    private DiffusionContext(long pointer, ModelInspection inspection, DiffusionModelParams params) {
        this.pointer = pointer;
        this.inspection = inspection;
        this.params = params;
    }

    /**
     * What stable-diffusion.cpp makes of a single-file model (or diffusers directory).
     *
     * @throws DiffusionException for a missing, unreadable, truncated or corrupt file, one that is not a
     *                            diffusion model (a text LLM's GGUF, for one), or a model whose text
     *                            encoder needs a vocabulary this build lacks
     *                            ({@link MissingVocabularyException})
     */
    public static ModelInspection inspect(Path model) {
        if (model == null) {
            throw new DiffusionException("no model file given");
        }
        if (!Files.exists(model)) {
            throw new DiffusionException("model file not found: " + model);
        }
        if (!Files.isReadable(model)) {
            throw new DiffusionException("model file not readable: " + model);
        }
        DiffusionModelParams params;
        try {
            params = DiffusionModelParams.of(model);
        } catch (IllegalArgumentException e) {
            throw new DiffusionException(e.getMessage());
        }
        return inspect(params);
    }

    /** Like {@link #inspect(Path)}, for a model made of several files. */
    public static ModelInspection inspect(DiffusionModelParams params) {
        DiffusionLibrary.load();
        refuseInsideGeneration();
        byte[][] out;
        DiffusionLibrary.ENGINE.lock();
        try {
            out = Natives.inspect(params.nativePaths());
        } finally {
            DiffusionLibrary.ENGINE.unlock();
        }
        Set<String> needed = new LinkedHashSet<>();
        for (int i = 2; i < out.length; i++) {
            needed.add(DiffusionLibrary.string(out[i]));
        }
        ModelInspection inspection = new ModelInspection(DiffusionLibrary.string(out[0]),
                DiffusionLibrary.string(out[1]), needed);
        Set<String> missing = new LinkedHashSet<>(needed);
        missing.removeAll(DiffusionLibrary.vocabularies());
        if (!missing.isEmpty()) {
            throw new MissingVocabularyException(inspection.family(), inspection.version(), missing);
        }
        return inspection;
    }

    /**
     * Inspects the model, then loads it: a file that inspection refuses never reaches stable-diffusion.cpp's
     * context.
     *
     * @throws DiffusionException when inspection refuses the files or stable-diffusion.cpp cannot load them
     */
    public static DiffusionContext load(DiffusionModelParams params) {
        ModelInspection inspection = inspect(params);
        refuseInsideGeneration();
        DiffusionLibrary.ENGINE.lock();
        try {
            long pointer = Natives.load(params.nativePaths(), params.threads(), params.rngType().ordinal(),
                    params.loraApplyMode().ordinal(), params.flashAttention(), params.diffusionConvDirect(),
                    params.vaeConvDirect(), params.eagerLoad(), DiffusionLibrary.bytes(params.backendAssignment()),
                    new byte[0]);
            return new DiffusionContext(pointer, inspection, params);
        } finally {
            DiffusionLibrary.ENGINE.unlock();
        }
    }

    /** What inspection found. */
    public ModelInspection inspection() {
        return inspection;
    }

    /** The model family ({@link ModelInspection#family()}). */
    public String family() {
        return inspection.family();
    }

    /** What the context was loaded with. */
    public DiffusionModelParams params() {
        return params;
    }

    /** The sample method stable-diffusion.cpp uses for this model when none is given. */
    public String defaultSampleMethod() {
        DiffusionLibrary.ENGINE.lock();
        try {
            return DiffusionLibrary.sampleMethods().get(Natives.defaultSampleMethod(pointer()));
        } finally {
            DiffusionLibrary.ENGINE.unlock();
        }
    }

    /**
     * The scheduler stable-diffusion.cpp uses for this model and sample method ({@code default}: the
     * model's default sample method) when none is given.
     */
    public String defaultScheduler(String sampleMethod) {
        DiffusionLibrary.ENGINE.lock();
        try {
            int method = GenerationParams.DEFAULT.equals(sampleMethod) ? Natives.defaultSampleMethod(pointer())
                    : index("sample method", sampleMethod, DiffusionLibrary.sampleMethods());
            return DiffusionLibrary.schedulers().get(Natives.defaultScheduler(pointer(), method));
        } finally {
            DiffusionLibrary.ENGINE.unlock();
        }
    }

    /**
     * Generates {@code params.batchCount()} images on the calling thread, telling {@code listener} about
     * each step.
     *
     * @throws GenerationCancelledException when {@link #cancel()} was called during the generation
     * @throws DiffusionException           when stable-diffusion.cpp fails, or cannot read a LoRA file
     * @throws IllegalArgumentException     for a sampler or scheduler name the library does not know
     * @throws RuntimeException             what the listener threw (the generation stops at once)
     */
    public List<RawImage> generate(GenerationParams params, GenerationListener listener) {
        if (params == null || listener == null) {
            throw new NullPointerException("params and listener are required");
        }
        int sampleMethod = GenerationParams.DEFAULT.equals(params.sampleMethod()) ? -1
                : index("sample method", params.sampleMethod(), DiffusionLibrary.sampleMethods());
        int scheduler = GenerationParams.DEFAULT.equals(params.scheduler()) ? -1
                : index("scheduler", params.scheduler(), DiffusionLibrary.schedulers());
        int[] ints = {params.clipSkip(), params.width(), params.height(), sampleMethod, scheduler, params.steps(),
            params.batchCount(), params.previewMode().ordinal(), params.previewInterval()};
        float[] floats = {params.cfgScale(), params.imageCfgScale(), params.guidance(), params.eta(),
            params.skipLayerStart(), params.skipLayerEnd(), params.skipLayerScale(), params.strength(),
            params.controlStrength()};
        RawImage[] inputs = {params.initImage(), params.mask(), params.controlImage()};
        byte[][] inputPixels = new byte[inputs.length][];
        int[] imageDims = new int[3 * inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null) {
                inputPixels[i] = inputs[i].pixels();
                imageDims[3 * i] = inputs[i].width();
                imageDims[3 * i + 1] = inputs[i].height();
                imageDims[3 * i + 2] = inputs[i].channels();
            }
        }
        int[] skipLayers = params.skipLayers().stream().mapToInt(Integer::intValue).toArray();
        byte[][] loraPaths = new byte[params.loras().size()][];
        float[] loraMultipliers = new float[params.loras().size()];
        for (int i = 0; i < loraPaths.length; i++) {
            loraPaths[i] = DiffusionLibrary.bytes(params.loras().get(i).path());
            loraMultipliers[i] = params.loras().get(i).multiplier();
        }
        int[] dims = new int[3 * params.batchCount()];

        refuseInsideGeneration();
        byte[][] pixels;
        DiffusionLibrary.ENGINE.lock();
        try {
            long p = pointer();
            // stable-diffusion.cpp skips a LoRA it cannot read and generates without it: refuse instead
            for (byte[] lora : loraPaths) {
                Natives.checkWeights(lora);
            }
            synchronized (cancelGuard) {
                Natives.clearCancel(p);
                generating = true;
            }
            try {
                pixels = Natives.generate(p, DiffusionLibrary.bytes(params.prompt()),
                        DiffusionLibrary.bytes(params.negativePrompt()), ints, floats, params.seed(), skipLayers,
                        loraPaths, loraMultipliers, params.vaeTiling(), params.previewNoisy(), inputPixels, imageDims,
                        new GenerationRun(listener), dims);
            } finally {
                synchronized (cancelGuard) {
                    generating = false;
                }
            }
        } finally {
            DiffusionLibrary.ENGINE.unlock();
        }
        List<RawImage> images = new ArrayList<>(pixels.length);
        for (int i = 0; i < pixels.length; i++) {
            images.add(new RawImage(dims[3 * i], dims[3 * i + 1], dims[3 * i + 2], pixels[i]));
        }
        return List.copyOf(images);
    }

    /**
     * Stops the generation running on this context, if any, as soon as stable-diffusion.cpp looks (between
     * steps); its {@link #generate} then throws {@link GenerationCancelledException}. Callable from any
     * thread; a later generation is not affected.
     */
    public void cancel() {
        synchronized (cancelGuard) {
            long p = pointer;
            if (p != 0 && generating) {
                Natives.cancel(p);
            }
        }
    }

    public boolean isClosed() {
        return pointer == 0;
    }

    /** Cancels a running generation, waits for it to end and frees the context. */
    @Override
    public void close() {
        if (pointer == 0) {
            return;
        }
        refuseInsideGeneration();
        cancel();
        DiffusionLibrary.ENGINE.lock();
        try {
            long p;
            synchronized (cancelGuard) {
                p = pointer;
                pointer = 0;
            }
            if (p != 0) {
                Natives.free(p);
            }
        } finally {
            DiffusionLibrary.ENGINE.unlock();
        }
    }

    private long pointer() {
        long p = pointer;
        if (p == 0) {
            throw new IllegalStateException("diffusion context is closed");
        }
        return p;
    }

    private static void refuseInsideGeneration() {
        if (DiffusionLibrary.ENGINE.isHeldByCurrentThread()) {
            throw new IllegalStateException("not allowed from inside a generation listener");
        }
    }

    private static int index(String what, String name, List<String> names) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("unknown " + what + " '" + name + "'; known: " + String.join(", ", names));
        }
        return i;
    }
}
