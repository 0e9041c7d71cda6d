package io.llamabox.engine;

import io.llamabox.jni.Batch;
import io.llamabox.jni.Context;
import io.llamabox.jni.LoadProgress;
import io.llamabox.jni.Llama;
import io.llamabox.jni.Model;
import io.llamabox.jni.Sampler;
import io.llamabox.jni.Vocab;
import io.llamabox.spi.EngineException;
import io.llamabox.spi.EngineMetrics;
import io.llamabox.spi.GenerationListener;
import io.llamabox.spi.GenerationRequest;
import io.llamabox.spi.InfillParts;
import io.llamabox.spi.LoraAdapterInfo;
import io.llamabox.spi.MediaPrompt;
import io.llamabox.spi.ModelDescription;
import io.llamabox.spi.PromptImage;
import io.llamabox.spi.SlotInfo;
import io.llamabox.spi.SlotStorage;
import io.llamabox.spi.TaskHandle;
import io.llamabox.spi.TextEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The llama.cpp text engine: one model, one context with a sequence per slot, one scheduler thread. */
public final class LlamaTextEngine implements TextEngine, SlotStorage, VocabularyTokenizer {
    private static final Logger LOG = LoggerFactory.getLogger(LlamaTextEngine.class);

    private final EngineSettings settings;
    private final Model model;
    private final Context context;
    private final Vocab vocab;
    private final SlotScheduler scheduler;
    private final Thread thread;
    private final EngineCounters counters = new EngineCounters();
    private final LoraAdapters lora = new LoraAdapters();
    private final ModelDescription description;
    private final AtomicLong taskIds = new AtomicLong();
    private final int slotContext;
    private volatile boolean closed;
    private volatile EngineVision vision;

    private LlamaTextEngine(EngineSettings settings, Model model, Context context, SpeculativeConfig speculative) {
        this.settings = settings;
        this.model = model;
        this.context = context;
        this.vocab = model.vocab();
        this.slotContext = slotContext(settings, context);
        this.scheduler = new SlotScheduler(context, settings, counters, slotContext, speculative,
                drafter(speculative, settings, model, slotContext), lora);
        this.description = describe(settings, model, context, slotContext);
        // The warm-up decode runs on the scheduler thread, like every other graph of this model (see
        // SlotScheduler#onSchedulerThread for why).
        CompletableFuture<Void> warmed = new CompletableFuture<>();
        boolean warm = settings.warmup();
        this.thread = Thread.ofPlatform().name("llama-box-scheduler").daemon(false).unstarted(() -> {
            Llama.placeComputeThread().ifPresent(p -> LOG.warn("compute threads: could not apply {}", p));
            try {
                if (warm) {
                    warmup(model, context);
                }
                warmed.complete(null);
            } catch (RuntimeException | Error e) {
                scheduler.stop(); // the loop below then only frees the scheduler's resources
                warmed.completeExceptionally(e);
            }
            scheduler.run();
        });
        this.thread.start();
        try {
            warmed.join();
        } catch (CompletionException e) {
            joinScheduler();
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    private void joinScheduler() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Loads the model, creates the context (n_seq_max = slots) and starts the scheduler. Progress is
     * logged every 10%; the listener may cancel.
     */
    public static LlamaTextEngine start(EngineSettings settings, LoadProgress progress) {
        return startWith(settings, loadModel(settings, progress));
    }

    /** As {@link #start(EngineSettings, LoadProgress)}, with speculative decoding. */
    public static LlamaTextEngine start(EngineSettings settings, SpeculativeConfig speculative, LoadProgress progress) {
        return startWith(settings, speculative, loadModel(settings, progress));
    }

    private static Drafter drafter(SpeculativeConfig c, EngineSettings settings, Model model, int slotContext) {
        if (!c.enabled()) {
            return null;
        }
        if (c.draftModel() != null) {
            return ModelDrafter.load(c, model, settings.context(), settings.parallel(), slotContext);
        }
        LOG.info("n-gram lookup drafting: n-grams of {} to {} tokens, up to {} tokens per step", c.lookupNgramMin(),
                SpeculativeConfig.NGRAM_MAX, c.draftMax());
        return LookupDrafter.open(c.lookupNgramMin(), c.lookupCacheStatic(), c.lookupCacheDynamic(),
                model.vocab().size());
    }

    /** Loads the model of these settings, logging progress every 10%; the listener may cancel. */
    public static Model loadModel(EngineSettings settings, LoadProgress progress) {
        LOG.info("loading model {}", settings.modelPath());
        int[] lastDecile = {-1};
        LoadProgress logging = fraction -> {
            int decile = (int) (fraction * 10);
            if (decile != lastDecile[0]) {
                lastDecile[0] = decile;
                LOG.info("loading model: {}%", decile * 10);
            }
            return progress == null || progress.onProgress(fraction);
        };
        return Model.load(settings.modelPath(), settings.model(), logging);
    }

    /**
     * Creates the context on a model loaded by the caller and starts the scheduler; the engine owns the
     * model from here on and frees it when it closes (or when this fails).
     */
    public static LlamaTextEngine startWith(EngineSettings settings, Model model) {
        return startWith(settings, SpeculativeConfig.none(), model);
    }

    /** As {@link #startWith(EngineSettings, Model)}, with speculative decoding. */
    public static LlamaTextEngine startWith(EngineSettings settings, SpeculativeConfig speculative, Model model) {
        Context context;
        try {
            context = new Context(model, settings.context());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        try {
            settings.controlVectors().applyTo(context, model);
        } catch (RuntimeException e) {
            context.close();
            model.close();
            throw e;
        }
        LOG.info("model loaded: {} ({} parameters), context {} tokens, {} slots",
                model.info().description(), model.info().parameterCount(), context.nCtx(), settings.parallel());
        if (settings.cacheReuse() > 0 && (!context.canShift() || model.info().nSwa() > 0)) {
            LOG.warn("--cache-reuse {} has no effect on this model: its cache {}", settings.cacheReuse(),
                    model.info().nSwa() > 0 ? "keeps a sliding window only" : "cannot shift positions");
        }
        try {
            return new LlamaTextEngine(settings, model, context, speculative);
        } catch (RuntimeException e) {
            context.close();
            model.close();
            throw e;
        }
    }

    private static void warmup(Model model, Context context) {
        Vocab v = model.vocab();
        int token = v.bos() != Vocab.NULL_TOKEN ? v.bos() : 0;
        try (Batch b = Batch.allocate(1)) {
            b.add(token, 0, 0, true);
            context.decode(b);
        } finally {
            context.clearMemory();
            context.resetPerf();
        }
    }

    /**
     * Each slot's share of the context: the asked {@code --ctx-size} divided by the slots (llama.cpp
     * rounds each sequence's cache up, but a slot holds no more than its share).
     */
    private static int slotContext(EngineSettings s, Context ctx) {
        int asked = s.context().nCtx();
        return asked > 0 ? Math.min(asked / s.parallel(), ctx.nCtxPerSequence()) : ctx.nCtxPerSequence();
    }

    private static ModelDescription describe(EngineSettings s, Model model, Context ctx, int slotContext) {
        Vocab v = model.vocab();
        String template = s.chatTemplateOverride() != null ? s.chatTemplateOverride() : model.chatTemplate(null);
        String id = s.alias() != null && !s.alias().isBlank() ? s.alias() : s.modelPath().getFileName().toString();
        return new ModelDescription(id, s.modelPath().toString(), model.info().architecture(),
                model.info().parameterCount(), model.info().sizeBytes(), v.size(), model.info().nCtxTrain(),
                model.info().nEmbd(), slotContext * s.parallel(), slotContext, s.parallel(), template == null ? "" : template,
                tokenText(v, v.bos()), tokenText(v, v.eos()), v.addsBos(), v.hasFim(), model.metadata());
    }

    private static String tokenText(Vocab v, int token) {
        return token == Vocab.NULL_TOKEN ? "" : new String(v.piece(token, true), StandardCharsets.UTF_8);
    }

    /** The loaded model (for other engines sharing it, and for tests). */
    public Model nativeModel() {
        return model;
    }

    @Override
    public ModelDescription model() {
        return description;
    }

    @Override
    public Vocab vocabulary() {
        return vocab;
    }

    @Override
    public boolean isEndOfGeneration(int token) {
        return vocab.isEndOfGeneration(token);
    }

    @Override
    public TaskHandle submit(GenerationRequest request, GenerationListener listener) {
        return enqueue(request, null, listener);
    }

    /**
     * Loads the vision projector ({@code --mmproj}) for this engine's model, so that chat prompts may
     * carry images. Call it once, before the first request.
     */
    public synchronized void attachProjector(VisionConfig config) {
        if (closed) {
            throw new IllegalStateException("the engine is closed");
        }
        if (vision != null) {
            throw new IllegalStateException("a projector is attached already");
        }
        vision = onComputeThread(() -> EngineVision.load(model, config)); // its warm-up computes a graph
    }

    /**
     * Runs {@code work} on the scheduler thread, between two steps, and returns its result: whatever
     * computes a graph of this model belongs there (see {@link SlotScheduler#onSchedulerThread}).
     */
    <T> T onComputeThread(java.util.function.Supplier<T> work) {
        try {
            return scheduler.onSchedulerThread(work).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    @Override
    public boolean acceptsImages() {
        return vision != null;
    }

    @Override
    public String imageMarker() {
        return requireVision().marker();
    }

    @Override
    public MediaPrompt tokenize(String text, List<PromptImage> images) {
        return requireVision().tokenize(text, images);
    }

    @Override
    public TaskHandle submit(GenerationRequest request, MediaPrompt media, GenerationListener listener) {
        if (media == null) {
            return enqueue(request, null, listener);
        }
        EngineVision v = vision;
        if (!(media instanceof LlamaMediaPrompt m) || v == null || m.mtmd() != v.mtmd()) {
            throw invalid("the images were tokenized by another engine");
        }
        if (!Arrays.equals(request.prompt(), m.layout())) {
            throw invalid("the request's prompt is not the tokens of its images' prompt");
        }
        return enqueue(request, m, listener);
    }

    private EngineVision requireVision() {
        EngineVision v = vision;
        if (v == null) {
            throw invalid("this model takes no images: start the server with --mmproj to chat about images");
        }
        return v;
    }

    private TaskHandle enqueue(GenerationRequest request, LlamaMediaPrompt media, GenerationListener listener) {
        if (closed) {
            throw new EngineException(EngineException.Kind.UNAVAILABLE, "the server is shutting down");
        }
        int[] prompt = request.prompt();
        if (prompt.length == 0) {
            throw invalid("the prompt is empty");
        }
        for (int t : prompt) {
            if (!vocab.isValid(t) && media == null) { // a media prompt was checked against its own layout
                throw invalid("prompt token id " + t + " is out of range [0, " + vocab.size() + ")");
            }
        }
        // llama-box semantics: each of the -np slots holds --ctx-size / -np tokens
        int perSlot = slotContext;
        int promptSize = media != null ? Math.max(prompt.length, media.promptTokens()) : prompt.length;
        if (promptSize >= perSlot) {
            throw invalid("the prompt has " + promptSize + " tokens but each slot's context holds " + perSlot
                    + " (n_ctx " + perSlot * settings.parallel() + " shared by " + settings.parallel() + " slots); shorten the prompt"
                    + " or start the server with a larger --ctx-size or fewer --parallel slots");
        }
        if (request.slotId() >= settings.parallel()) {
            throw invalid("id_slot " + request.slotId() + " does not exist (there are " + settings.parallel() + " slots)");
        }
        if (request.nProbs() < 0 || request.nProbs() > vocab.size()) {
            throw invalid("n_probs must be in [0, " + vocab.size() + "]");
        }
        float[] loraScales = lora.forRequest(request.lora());
        Sampler sampler;
        try {
            sampler = Sampler.create(model, Samplers.params(request.sampling(), perSlot));
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        if (media != null && !media.retain()) {
            sampler.close();
            throw invalid("the images' prompt was closed before it was submitted");
        }
        Task task = new Task(taskIds.incrementAndGet(), request, listener, sampler, loraScales, media, scheduler::wake);
        scheduler.submit(task);
        return task;
    }

    /**
     * Loads LoRA adapters for this engine's model (ids follow on from those loaded before), running at
     * {@code scales} until requests or {@link #setLoraScales} say otherwise. Load them before the first request.
     */
    public void loadLoraAdapters(List<Path> paths, float[] scales) {
        lora.load(model, paths, scales);
        for (LoraAdapterInfo a : lora.describe()) {
            LOG.info("LoRA adapter {}: {} at scale {}", a.id(), a.path(), a.scale());
        }
    }

    @Override
    public List<LoraAdapterInfo> loraAdapters() {
        return lora.describe();
    }

    @Override
    public void setLoraScales(Map<Integer, Float> scales) {
        lora.setScales(scales);
    }

    @Override
    public int[] infillPrompt(InfillParts parts) {
        return InfillLayout.layout(vocab, parts, context.nBatch(), slotContext);
    }

    private static EngineException invalid(String message) {
        return new EngineException(EngineException.Kind.INVALID_REQUEST, message);
    }

    @Override
    public CompletableFuture<SlotFileResult> saveSlot(int slotId, Path file) {
        return slotAction(SlotFileAction.Kind.SAVE, slotId, file);
    }

    @Override
    public CompletableFuture<SlotFileResult> restoreSlot(int slotId, Path file) {
        return slotAction(SlotFileAction.Kind.RESTORE, slotId, file);
    }

    @Override
    public CompletableFuture<SlotFileResult> eraseSlot(int slotId) {
        return slotAction(SlotFileAction.Kind.ERASE, slotId, null);
    }

    private CompletableFuture<SlotFileResult> slotAction(SlotFileAction.Kind kind, int slotId, Path file) {
        if (slotId < 0 || slotId >= settings.parallel()) {
            throw invalid("slot " + slotId + " does not exist (there are " + settings.parallel() + " slots)");
        }
        if (closed) {
            throw new EngineException(EngineException.Kind.UNAVAILABLE, "the server is shutting down");
        }
        CompletableFuture<SlotFileResult> result = new CompletableFuture<>();
        scheduler.submit(new SlotFileAction(kind, slotId, file, result));
        return result;
    }

    @Override
    public List<SlotInfo> slots() {
        List<SlotInfo> out = new ArrayList<>();
        for (Slot s : scheduler.slots()) {
            long task = s.snapshotTaskId;
            out.add(new SlotInfo(s.id, task, task >= 0, s.snapshotRequestId, s.nCtx, s.snapshotCached,
                    s.snapshotPromptTokens, s.snapshotDecoded, ""));
        }
        return out;
    }

    @Override
    public EngineMetrics metrics() {
        int processing = 0;
        for (Slot s : scheduler.slots()) {
            if (s.snapshotTaskId >= 0) {
                processing++;
            }
        }
        return counters.snapshot(processing, scheduler.deferred());
    }

    /** Stops the scheduler (running requests end as cancelled) and frees the native model. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.stop();
        joinScheduler();
        context.close();
        if (vision != null) {
            vision.close();
        }
        lora.close();
        model.close();
        LOG.info("engine stopped");
    }
}
