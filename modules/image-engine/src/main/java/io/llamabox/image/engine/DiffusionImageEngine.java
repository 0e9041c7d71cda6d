package io.llamabox.image.engine;

import io.llamabox.image.jni.DiffusionContext;
import io.llamabox.image.jni.DiffusionLibrary;
import io.llamabox.image.jni.GenerationCancelledException;
import io.llamabox.image.jni.GenerationListener;
import io.llamabox.image.jni.GenerationParams;
import io.llamabox.image.jni.Lora;
import io.llamabox.image.jni.PreviewMode;
import io.llamabox.image.jni.RawImage;
import io.llamabox.image.jni.Upscaler;
import io.llamabox.spi.EngineException;
import io.llamabox.spi.LoraAdapterInfo;
import io.llamabox.spi.TaskHandle;
import io.llamabox.spi.image.GeneratedImage;
import io.llamabox.spi.image.ImageDefaults;
import io.llamabox.spi.image.ImageEngine;
import io.llamabox.spi.image.ImageListener;
import io.llamabox.spi.image.ImageMetrics;
import io.llamabox.spi.image.ImageModel;
import io.llamabox.spi.image.ImagePreview;
import io.llamabox.spi.image.ImageRequest;
import io.llamabox.spi.image.ImageUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * An image model served by stable-diffusion.cpp. Requests wait in one queue, first come first served; the
 * engine's thread runs them one at a time (stable-diffusion.cpp computes one generation per context), each
 * reporting its steps as they happen. A cancelled request leaves the queue, or stops its generation at the
 * next step, and the queue moves on.
 */
public final class DiffusionImageEngine implements ImageEngine {
    private static final Logger LOG = LoggerFactory.getLogger(DiffusionImageEngine.class);
    /** The side of the generation that reads the weights at load: the smallest the UNet families take. */
    private static final int WARM_UP_SIDE = 64;

    private final DiffusionContext context;
    /** The ESRGAN model finished images go through, or null. */
    private final Upscaler upscaler;
    private final ImageEngineSettings settings;
    private final ImageModel model;
    private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final DoubleAdder processSeconds = new DoubleAdder();
    private final DoubleAdder generateSeconds = new DoubleAdder();
    private final AtomicLong generateSteps = new AtomicLong();

    private DiffusionImageEngine(DiffusionContext context, Upscaler upscaler, ImageEngineSettings settings) {
        this.context = context;
        this.upscaler = upscaler;
        this.settings = settings;
        FamilyDefaults family = FamilyDefaults.of(context.family(), context.inspection().version());
        String sampler = settings.sampleMethod().orElseGet(context::defaultSampleMethod);
        ImageDefaults defaults = new ImageDefaults(sampler, settings.schedule(),
                settings.steps().orElse(family.steps()), settings.cfgScale().orElse(family.cfgScale()),
                settings.guidance(), settings.strength().orElse(family.strength()));
        this.model = new ImageModel(settings.model().model().toString(), context.family(), defaults);
        this.worker = Thread.ofPlatform().name("llama-box-images").daemon().start(this::serve);
    }

    /**
     * Loads the model (stable-diffusion.cpp's inspection first: a file that is no image model, or whose text
     * encoder needs a vocabulary this build lacks, fails here with a message saying so).
     */
    public static DiffusionImageEngine load(ImageEngineSettings settings) {
        DiffusionContext context = DiffusionContext.load(settings.model());
        try {
            warmUp(context, settings.model().model().getFileName().toString());
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
        Upscaler upscaler = null;
        if (settings.upscaling().isPresent()) {
            try {
                upscaler = Upscaler.load(settings.upscaling().get().model(), settings.model().threads());
            } catch (RuntimeException e) {
                context.close();
                throw e;
            }
            LOG.info("upscaler {} loaded: x{} per pass, {} pass(es)", settings.upscaling().get().model(),
                    upscaler.factor(), settings.upscaling().get().repeats());
        }
        LOG.info("image model {} loaded: {} ({}), defaults: {}", settings.model().model(), context.family(),
                context.inspection().version(), context.defaultSampleMethod());
        return new DiffusionImageEngine(context, upscaler, settings);
    }

    /**
     * stable-diffusion.cpp reads each weight at its first use (as sd-cli does), so that parts a server never uses
     * (the VAE encoder of a text-to-image server) are never read. One tiny text-to-image generation at load reads
     * the rest: a damaged weight fails the start rather than a request, the first request is not slowed by the
     * reading, and the reading's progress (which stable-diffusion.cpp reports through the same callback as sampling
     * steps) is logged here instead of reaching a request as steps.
     */
    private static void warmUp(DiffusionContext context, String name) {
        long started = System.nanoTime();
        int[] lastQuarter = {-1};
        GenerationParams tiny = GenerationParams.builder("").size(WARM_UP_SIDE, WARM_UP_SIDE).steps(1).seed(0).build();
        context.generate(tiny, (step, steps, seconds) -> {
            int quarter = steps <= 1 ? -1 : 4 * step / steps;
            if (quarter != lastQuarter[0] && steps > 1) {
                lastQuarter[0] = quarter;
                LOG.info("image model {}: reading weights, {}/{}", name, step, steps);
            }
        });
        LOG.info("image model {}: weights read in {} s", name,
                String.format("%.1f", (System.nanoTime() - started) / 1e9));
    }

    @Override
    public ImageModel model() {
        return model;
    }

    @Override
    public List<LoraAdapterInfo> loraAdapters() {
        List<LoraAdapterInfo> out = new ArrayList<>();
        for (int i = 0; i < settings.loras().size(); i++) {
            ImageEngineSettings.LoraFile f = settings.loras().get(i);
            out.add(new LoraAdapterInfo(i, f.path().toString(), f.scale()));
        }
        return List.copyOf(out);
    }

    @Override
    public TaskHandle generate(ImageRequest request, ImageListener listener) {
        if (closed.get()) {
            throw new EngineException(EngineException.Kind.UNAVAILABLE, "the image engine is stopping");
        }
        GenerationParams params = params(request);
        Task task = new Task(request, params, listener, System.nanoTime());
        queue.add(task);
        LOG.info("image request {} queued: {} {} image(s) of {}x{}, {} steps of {} ({} schedule), {} waiting",
                request.requestId(), request.edit() == null ? "generating" : request.edit().mask() == null
                        ? "image-to-image, strength " + request.edit().strength()
                        : "inpainting, strength " + request.edit().strength(), request.count(), request.width(), request.height(), request.steps(),
                request.sampleMethod(), request.schedule(), queue.size());
        return task::cancel;
    }

    /** The request as stable-diffusion.cpp takes it; names and LoRA ids it does not know are the caller's error. */
    private GenerationParams params(ImageRequest r) {
        known("sampler", r.sampleMethod(), DiffusionLibrary.sampleMethods());
        if (!r.schedule().equals(GenerationParams.DEFAULT)) {
            known("schedule", r.schedule(), DiffusionLibrary.schedulers());
        }
        List<Lora> loras = new ArrayList<>();
        for (Map.Entry<Integer, Float> e : r.loraScales().entrySet()) {
            if (e.getKey() < 0 || e.getKey() >= settings.loras().size()) {
                throw new EngineException(EngineException.Kind.INVALID_REQUEST, "no LoRA adapter with id " + e.getKey()
                        + " (" + settings.loras().size() + " loaded)");
            }
        }
        for (int i = 0; i < settings.loras().size(); i++) {
            float scale = r.loraScales().getOrDefault(i, r.loraScales().isEmpty() ? settings.loras().get(i).scale() : 0f);
            if (scale != 0f) {
                loras.add(new Lora(settings.loras().get(i).path(), scale));
            }
        }
        ImageEngineSettings.SkipLayers slg = settings.skipLayerGuidance();
        try {
            return GenerationParams.builder(r.prompt())
                    .negativePrompt(r.negativePrompt())
                    .size(r.width(), r.height())
                    .sampleMethod(r.sampleMethod())
                    .scheduler(r.schedule())
                    .steps(r.steps())
                    .cfgScale((float) r.cfgScale())
                    .guidance((float) r.guidance())
                    .skipLayerGuidance(slg.layers(), slg.start(), slg.end(), (float) slg.scale().orElse(0))
                    .seed(r.seed())
                    .batchCount(r.count())
                    .loras(loras)
                    .vaeTiling(settings.vaeTiling())
                    .initImage(r.edit() == null ? null : new RawImage(r.width(), r.height(), 3, r.edit().rgb()))
                    .mask(r.edit() == null || r.edit().mask() == null ? null
                            : new RawImage(r.width(), r.height(), 1, r.edit().mask()))
                    .strength(r.edit() == null ? 0.75f : (float) r.edit().strength())
                    .preview(switch (r.preview()) {
                        case NONE -> PreviewMode.NONE;
                        case FAST -> PreviewMode.PROJ;
                        case FULL -> PreviewMode.VAE;
                    }, 1, false)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, e.getMessage());
        }
    }

    private static void known(String what, String name, List<String> names) {
        if (!names.contains(name)) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "unknown " + what + " '" + name
                    + "': one of " + String.join(", ", names));
        }
    }

    @Override
    public ImageMetrics metrics() {
        return new ImageMetrics(processSeconds.sum(), generateSeconds.sum(), generateSteps.get());
    }

    private void serve() {
        while (!closed.get()) {
            Task task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task.cancelled.get()) {
                task.listener.onError(cancelled());
                continue;
            }
            task.running = true;
            MDC.put("request_id", task.request.requestId());
            try {
                run(task);
            } finally {
                MDC.remove("request_id");
                task.running = false;
            }
        }
    }

    private void run(Task task) {
        ImageRequest r = task.request;
        StepTracker steps = new StepTracker(task);
        long started = System.nanoTime();
        List<RawImage> raw;
        try {
            raw = context.generate(task.params, steps);
            if (upscaler != null) {
                int repeats = settings.upscaling().orElseThrow().repeats();
                raw = raw.stream().map(image -> upscaler.upscale(image, repeats)).toList();
            }
        } catch (GenerationCancelledException | CancelledAtStep e) {
            LOG.info("image request {} cancelled after {} step(s)", r.requestId(), steps.total);
            generateSteps.addAndGet(steps.total);
            task.listener.onError(cancelled());
            return;
        } catch (RuntimeException e) {
            LOG.warn("image request {} failed: {}", r.requestId(), e.getMessage());
            generateSteps.addAndGet(steps.total);
            task.listener.onError(e instanceof EngineException ee ? ee
                    : new EngineException(EngineException.Kind.INTERNAL, "image generation failed: " + e.getMessage()));
            return;
        }
        long finished = System.nanoTime();
        List<GeneratedImage> images = raw.stream().map(PngImages::encode).toList();
        double generation = (finished - started) / 1e9;
        double process = (System.nanoTime() - task.queuedAt) / 1e9;
        generateSeconds.add(generation);
        processSeconds.add(process);
        generateSteps.addAndGet(steps.total);
        double perImage = generation * 1000 / images.size();
        LOG.info("image request {} done: {} image(s) in {} ms ({} ms each, {} ms in all with the queue)",
                r.requestId(), images.size(), Math.round(generation * 1000), Math.round(perImage),
                Math.round(process * 1000));
        task.listener.onComplete(images, new ImageUsage(process * 1000, perImage, images.size() / generation));
    }

    private static EngineException cancelled() {
        return new EngineException(EngineException.Kind.INVALID_REQUEST, "the image generation was cancelled");
    }

    /** Turns stable-diffusion.cpp's steps (one run per image, in order) into steps of image {@code index}. */
    private final class StepTracker implements GenerationListener {
        private final Task task;
        private int index;
        private int lastStep;
        private boolean started;
        long total;

        StepTracker(Task task) {
            this.task = task;
        }

        @Override
        public void step(int step, int steps, float seconds) {
            if (task.cancelled.get()) {
                // a cancel that came before the generation could be told; this stops it at its first step
                throw new CancelledAtStep();
            }
            if (steps > task.params.steps()) {
                // not a sampling step: weights read at their first use (an edit's first VAE encoding), which
                // stable-diffusion.cpp reports through the same callback, counted in tensors
                return;
            }
            // each image's sampling starts again from a low step (stable-diffusion.cpp announces it as step 0)
            if (started && step <= lastStep) {
                index++;
            }
            started = true;
            lastStep = step;
            if (step == 0) {
                return;
            }
            total++;
            if (step == steps || step % Math.max(1, steps / 4) == 0) {
                LOG.info("image request {}: image {} of {}, step {}/{} ({} s)", task.request.requestId(), index + 1,
                        task.request.count(), step, steps, String.format("%.2f", seconds));
            }
            task.listener.onStep(index, step, steps);
        }

        @Override
        public void preview(int step, List<RawImage> frames, boolean noisy) {
            if (frames.isEmpty()) {
                return;
            }
            task.listener.onPreview(index, step, PngImages.encode(frames.get(Math.min(index, frames.size() - 1))));
        }
    }

    /** Thrown from a step of a cancelled request: stable-diffusion.cpp then stops, and generate rethrows it. */
    private static final class CancelledAtStep extends RuntimeException {
        CancelledAtStep() {
            super("cancelled", null, false, false);
        }
    }

    /** A queued or running request. */
    private final class Task {
        final ImageRequest request;
        final GenerationParams params;
        final ImageListener listener;
        final long queuedAt;
        final AtomicBoolean cancelled = new AtomicBoolean();
        volatile boolean running;

        Task(ImageRequest request, GenerationParams params, ImageListener listener, long queuedAt) {
            this.request = request;
            this.params = params;
            this.listener = listener;
            this.queuedAt = queuedAt;
        }

        void cancel() {
            if (!cancelled.compareAndSet(false, true)) {
                return;
            }
            if (queue.remove(this)) {
                listener.onError(cancelled());
            } else if (running) {
                context.cancel();
            }
        }
    }

    /** Cancels what is queued and running, stops the thread and frees the model. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Task> waiting = new ArrayList<>();
        queue.drainTo(waiting);
        for (Task t : waiting) {
            t.listener.onError(new EngineException(EngineException.Kind.UNAVAILABLE, "the server is stopping"));
        }
        context.cancel();
        worker.interrupt();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        context.close();
        if (upscaler != null) {
            upscaler.close();
        }
    }
}
