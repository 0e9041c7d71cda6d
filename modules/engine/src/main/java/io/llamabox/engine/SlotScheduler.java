package io.llamabox.engine;

import io.llamabox.jni.Batch;
import io.llamabox.jni.Context;
import io.llamabox.jni.TokenProbability;
import io.llamabox.jni.Vocab;
import io.llamabox.spi.EngineException;
import io.llamabox.spi.FinishReason;
import io.llamabox.spi.TokenProbabilities;
import io.llamabox.spi.SlotStorage;
import io.llamabox.spi.Usage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one loop that owns the llama.cpp context. Each iteration admits waiting tasks to idle slots
 * (preferring the slot whose cached prompt shares the longest prefix), builds one batch of the
 * running slots' next tokens plus prompt chunks of new ones, decodes it once, samples every slot
 * that has an output, and reports text to the listeners. Listeners run on this thread.
 */
final class SlotScheduler implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SlotScheduler.class);
    private static final Object WAKE = new Object();
    /**
     * The fewest prompt tokens worth copying another slot's KV cache for; with long slot contexts, at
     * least 1/1024 of the slot's context, since the copy moves the whole KV stream whatever the prefix.
     */
    static final int MIN_BORROWED_TOKENS = 32;

    private final Context ctx;
    private final Vocab vocab;
    private final EngineSettings settings;
    private final Slot[] slots;
    private final Batch batch;
    private final EngineCounters counters;
    private final SpeculativeConfig speculative;
    private final Drafter drafter;
    private final LoraAdapters lora;
    /** {@code --cache-ram}: states of prompts that slots gave up (null: off). */
    private final PromptMemory memory;
    /**
     * Slots whose KV stream takes part in a whole-stream copy that llama.cpp has queued for the next
     * decode: their stream must not be read or replaced before then.
     */
    private final java.util.BitSet copying = new java.util.BitSet();
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final ArrayDeque<Task> waiting = new ArrayDeque<>();
    private final ArrayDeque<SlotFileAction> actions = new ArrayDeque<>();
    private volatile boolean running = true;
    private volatile int deferred;
    /** The slot whose image is encoded first in the next step. */
    private int imageTurn;

    SlotScheduler(Context ctx, EngineSettings settings, EngineCounters counters, int slotContext,
                  SpeculativeConfig speculative, Drafter drafter, LoraAdapters lora) {
        this.ctx = ctx;
        this.lora = lora;
        this.speculative = speculative;
        this.drafter = drafter;
        this.vocab = ctx.model().vocab();
        this.settings = settings;
        this.counters = counters;
        this.slots = new Slot[settings.parallel()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(i, slotContext);
        }
        this.batch = Batch.allocate(ctx.nBatch());
        this.memory = settings.promptMemoryBytes() > 0 ? new PromptMemory(settings.promptMemoryBytes()) : null;
    }

    Slot[] slots() {
        return slots;
    }

    int deferred() {
        return deferred;
    }

    void submit(Task task) {
        inbox.add(task);
    }

    /** Work that must run on the scheduler thread, and its result. */
    private record ThreadCall<T>(java.util.function.Supplier<T> work, CompletableFuture<T> result) {
        void run() {
            try {
                result.complete(work.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }
    }

    /**
     * Runs {@code work} on the scheduler thread between two steps. Whatever computes a graph must run
     * there: the CPU backend computes a graph with an OpenMP team led by the calling thread, and one more
     * thread that ever computed keeps a second team alive, after which libgomp counts more threads than
     * cores and makes every barrier of every graph sleep instead of spin (about 2 ms more per token with
     * the bench model on 2 cores).
     */
    <T> CompletableFuture<T> onSchedulerThread(java.util.function.Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        inbox.add(new ThreadCall<>(work, result));
        return result;
    }

    /** Queues a save/restore/erase of a slot's cache; it runs between two steps of the loop. */
    void submit(SlotFileAction action) {
        inbox.add(action);
    }

    private void runSlotActions() {
        for (SlotFileAction a; (a = actions.poll()) != null; ) {
            Slot s = slots[a.slotId()];
            if (s.busy()) {
                a.result().completeExceptionally(new EngineException(
                        EngineException.Kind.INVALID_REQUEST, "slot " + s.id + " is processing a request"));
                continue;
            }
            long t0 = System.nanoTime();
            try {
                int tokens;
                long bytes = 0;
                switch (a.kind()) {
                    case SAVE -> {
                        for (int i = 0; i < s.nPast; i++) {
                            if (s.tokens[i] < 0) {
                                throw new IllegalArgumentException("slot " + s.id + " holds an image's embeddings,"
                                        + " which a slot file cannot keep; erase the slot or save it after a text"
                                        + " request");
                            }
                        }
                        tokens = s.nPast;
                        bytes = SlotFiles.save(ctx, a.file(), s.id, Arrays.copyOf(s.tokens, s.nPast));
                    }
                    case RESTORE -> {
                        // a restore replaces the slot's cache: whatever fails, the slot is left empty
                        ctx.removeTokens(s.id, 0, -1);
                        s.nPast = 0;
                        int[] restored = SlotFiles.restore(ctx, a.file(), s.id);
                        System.arraycopy(restored, 0, s.tokens, 0, restored.length);
                        s.nPast = restored.length;
                        tokens = restored.length;
                        bytes = Files.size(a.file());
                    }
                    case ERASE -> {
                        tokens = s.nPast;
                        ctx.removeTokens(s.id, 0, -1);
                        s.nPast = 0;
                    }
                    default -> throw new IllegalStateException();
                }
                s.publish();
                a.result().complete(new SlotStorage.SlotFileResult(s.id, tokens, bytes,
                        (System.nanoTime() - t0) / 1e6));
            } catch (IOException | RuntimeException e) {
                s.publish();
                a.result().completeExceptionally(new EngineException(
                        EngineException.Kind.INVALID_REQUEST, e.getMessage()));
            }
        }
    }

    void wake() {
        inbox.add(WAKE);
    }

    void stop() {
        running = false;
        wake();
    }

    @Override
    public void run() {
        try {
            while (running) {
                long waitNanos = hasWork() ? 0 : -1;
                if (waitNanos == 0 && !anyDecodable()) {
                    waitNanos = pacingWait();
                }
                collectInbox(waitNanos);
                if (!running) {
                    break;
                }
                dropCancelled();
                runSlotActions();
                admit();
                step();
            }
        } catch (Throwable t) {
            LOG.error("scheduler stopped by an unexpected error", t);
        } finally {
            shutdown();
        }
    }

    private boolean hasWork() {
        if (!waiting.isEmpty()) {
            return true;
        }
        for (Slot s : slots) {
            if (s.busy()) {
                return true;
            }
        }
        return false;
    }

    private void collectInbox(long waitNanos) {
        try {
            Object first = waitNanos < 0 ? inbox.take()
                    : waitNanos > 0 ? inbox.poll(waitNanos, TimeUnit.NANOSECONDS) : inbox.poll();
            List<Object> items = new ArrayList<>();
            if (first != null) {
                items.add(first);
            }
            inbox.drainTo(items);
            for (Object o : items) {
                if (o instanceof Task t) {
                    waiting.add(t);
                } else if (o instanceof SlotFileAction a) {
                    actions.add(a);
                } else if (o instanceof ThreadCall<?> c) {
                    c.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        deferred = waiting.size();
    }

    /** Whether some slot can contribute to a decode now (prompt work, or a generation not held by pacing). */
    private boolean anyDecodable() {
        long now = System.nanoTime();
        if (!waiting.isEmpty() && idleSlotExists()) {
            return true;
        }
        for (Slot s : slots) {
            if (s.processingPrompt()) {
                return true;
            }
            if (s.generating() && (s.bucket == null || s.bucket.nanosUntilToken(now) == 0)) {
                return true;
            }
        }
        return false;
    }

    private boolean idleSlotExists() {
        for (Slot s : slots) {
            if (!s.busy()) {
                return true;
            }
        }
        return false;
    }

    private long pacingWait() {
        long now = System.nanoTime();
        long min = Long.MAX_VALUE;
        for (Slot s : slots) {
            if (s.generating() && s.bucket != null) {
                min = Math.min(min, s.bucket.nanosUntilToken(now));
            }
        }
        return min == Long.MAX_VALUE ? 0 : Math.max(1, min);
    }

    private void dropCancelled() {
        for (Iterator<Task> it = waiting.iterator(); it.hasNext(); ) {
            Task t = it.next();
            if (t.cancelled()) {
                it.remove();
                t.end();
                notifyComplete(t, FinishReason.CANCELLED, null, new Usage(t.promptTokens(), 0, 0, 0, 0, 0, 0));
            }
        }
        long now = System.nanoTime();
        for (Slot s : slots) {
            if (s.busy() && s.task.cancelled()) {
                finish(s, FinishReason.CANCELLED, null, now);
            }
        }
        deferred = waiting.size();
    }

    private void admit() {
        if (waiting.isEmpty()) {
            return;
        }
        if (!settings.continuousBatching()) {
            for (Slot s : slots) {
                if (s.busy()) {
                    return;
                }
            }
        }
        for (Iterator<Task> it = waiting.iterator(); it.hasNext(); ) {
            Task t = it.next();
            Slot slot = chooseSlot(t);
            if (slot == null) {
                if (t.request.slotId() >= 0) {
                    continue; // waits for its own slot; others may still go
                }
                break;
            }
            it.remove();
            start(slot, t);
        }
        deferred = waiting.size();
    }

    private Slot chooseSlot(Task t) {
        int wanted = t.request.slotId();
        if (wanted >= 0) {
            Slot s = slots[wanted];
            return s.busy() ? null : s;
        }
        int[] prompt = t.request.prompt();
        Slot best = null;
        int bestPrefix = -1;
        Slot lru = null;
        for (Slot s : slots) {
            if (s.busy()) {
                continue;
            }
            int prefix = Arrays.equals(s.cacheLora, t.lora) ? s.commonPrefix(prompt) : 0;
            if (prefix > bestPrefix) {
                bestPrefix = prefix;
                best = s;
            }
            if (lru == null || s.lastUsedNanos < lru.lastUsedNanos) {
                lru = s;
            }
        }
        if (best == null) {
            return null;
        }
        float sps = settings.slotPromptSimilarity();
        boolean similar = settings.cachePrompt() && t.request.cachePrompt() && sps > 0
                && bestPrefix > 0 && (float) bestPrefix / prompt.length >= sps;
        return similar ? best : lru;
    }

    private void start(Slot s, Task t) {
        long now = System.nanoTime();
        int[] prompt = t.request.prompt();
        boolean useCache = settings.cachePrompt() && t.request.cachePrompt();
        // a cache computed with other LoRA scales is of no use
        int keep = useCache && Arrays.equals(s.cacheLora, t.lora) ? s.commonPrefix(prompt) : 0;
        remember(s, keep);
        int copiedFrom = useCache && t.media == null ? borrowPrefix(s, t, keep) : -1;
        boolean recalled = copiedFrom < 0 && useCache && t.media == null && recall(s, t, keep);
        if (copiedFrom >= 0 || recalled) {
            keep = s.nPast;
        } else if (useCache && keep < s.nPast && canReuseChunks(s, t)) {
            keep = reuseChunks(s, prompt, keep);
        }
        if (keep == prompt.length) {
            keep--; // the last prompt token is decoded again to get its logits
        }
        if (t.media != null) {
            keep = t.media.alignToImageStart(keep); // an image is kept whole or encoded again
        }
        if (!ctx.removeTokens(s.id, keep, -1) || keep > 0 && !holdsAttentionWindow(s, keep)) {
            ctx.removeTokens(s.id, 0, -1);
            keep = 0;
        }
        s.task = t;
        s.lora = t.lora;
        s.cacheLora = t.lora;
        s.prompt = prompt;
        s.media = t.media;
        s.nPast = keep;
        s.promptPos = keep;
        s.cachedTokens = keep;
        s.pendingToken = -1;
        s.batchIndex = -1;
        s.generated = 0;
        s.decoder = new Utf8Decoder();
        s.stops = new StopStrings(t.request.stop());
        s.bucket = t.request.tokensPerSecond() > 0 ? new TokenBucket(t.request.tokensPerSecond(), now) : null;
        s.admittedNanos = now;
        s.firstTokenNanos = 0;
        s.drafted = 0;
        s.draftAccepted = 0;
        s.publish();
        withRequestId(t, () -> {
            if (copiedFrom >= 0) {
                LOG.info("slot {} took task {}: {} prompt tokens, {} from cache (copied from slot {})", s.id, t.id,
                        prompt.length, s.cachedTokens, copiedFrom);
            } else if (recalled) {
                LOG.info("slot {} took task {}: {} prompt tokens, {} from cache (restored from memory)", s.id,
                        t.id, prompt.length, s.cachedTokens);
            } else {
                LOG.info("slot {} took task {}: {} prompt tokens, {} from cache", s.id, t.id, prompt.length,
                        s.cachedTokens);
            }
            t.listener.onStart(s.id, t.promptTokens(), cachedTokens(s));
        });
    }

    /**
     * {@code --cache-reuse}: chunks moved by shifting their positions need a cache computed with the same
     * LoRA scales that can shift, text positions (no images) and full attention (a sliding window would
     * lose what the chunk attends to).
     */
    private boolean canReuseChunks(Slot s, Task t) {
        return settings.cacheReuse() > 0 && t.media == null && Arrays.equals(s.cacheLora, t.lora)
                && ctx.canShift() && ctx.model().info().nSwa() == 0;
    }

    /**
     * After the common prefix, finds the slot's cached tokens again in the rest of the prompt in runs of
     * at least {@code --cache-reuse} tokens, and moves each run to its place in the new prompt: the
     * tokens in between leave the cache and the run's positions shift down (llama.cpp's server reuses
     * its cache the same way). Returns how many leading prompt tokens the cache now holds.
     */
    private int reuseChunks(Slot s, int[] prompt, int prefix) {
        int minChunk = settings.cacheReuse();
        int headCache = prefix;
        int headPrompt = prefix;
        while (headCache < s.nPast && headPrompt < prompt.length) {
            int n = 0;
            while (headCache + n < s.nPast && headPrompt + n < prompt.length
                    && s.tokens[headCache + n] == prompt[headPrompt + n]) {
                n++;
            }
            if (n >= minChunk) {
                int shift = headPrompt - headCache;
                if (shift != 0) {
                    ctx.removeTokens(s.id, headPrompt, headCache);
                    ctx.shiftPositions(s.id, headCache, headCache + n, shift);
                    System.arraycopy(s.tokens, headCache, s.tokens, headPrompt, n);
                }
                headCache += n;
                headPrompt += n;
            } else {
                headCache++;
            }
        }
        if (headPrompt > prefix) {
            LOG.debug("slot {}: --cache-reuse kept {} tokens after the common prefix of {}", s.id,
                    headPrompt - prefix, prefix);
        }
        return headPrompt;
    }

    /**
     * Whether the slot's cache still holds what the next token after {@code keep} positions attends to.
     * A model with sliding-window attention keeps only the last window of positions in its SWA layers'
     * cache, so a prefix that ends long before where the slot's last task stopped has lost the window
     * before its end and must be computed again (llama.cpp's server decides the same way).
     */
    private boolean holdsAttentionWindow(Slot s, int keep) {
        int min = ctx.minPosition(s.id);
        int window = Math.max(1, ctx.model().info().nSwa());
        return min >= 0 && min <= Math.max(0, keep - window);
    }

    /** The fewest tokens worth keeping a slot's state in memory for, or restoring one from it. */
    static final int MIN_REMEMBERED_TOKENS = 32;

    /**
     * {@code --cache-ram}: before a slot gives up what its cache holds beyond {@code keep}, a copy of its
     * state goes to memory, when there is enough of it, it is plain text (no image positions) and no
     * queued stream copy touches the slot.
     */
    private void remember(Slot s, int keep) {
        if (memory == null || s.nPast - keep < MIN_REMEMBERED_TOKENS || copying.get(s.id)) {
            return;
        }
        for (int i = 0; i < s.nPast; i++) {
            if (s.tokens[i] < 0) {
                return;
            }
        }
        try {
            memory.store(Arrays.copyOf(s.tokens, s.nPast), s.cacheLora, ctx.snapshot(s.id));
            LOG.debug("slot {}: {} tokens kept in memory ({} states, {} bytes)", s.id, s.nPast, memory.size(),
                    memory.used());
        } catch (RuntimeException e) {
            LOG.warn("slot {}: could not keep its prompt in memory: {}", s.id, e.getMessage());
        }
    }

    /**
     * {@code --cache-ram}: when memory holds a longer prefix of the prompt than the slot, by at least
     * {@link #MIN_REMEMBERED_TOKENS}, the slot's state is replaced by it (not while a queued stream copy
     * reads or writes the slot). Returns whether it was.
     */
    private boolean recall(Slot s, Task t, int own) {
        if (memory == null || copying.get(s.id)) {
            return false;
        }
        PromptMemory.Match m = memory.best(t.request.prompt(), t.lora);
        if (m == null || m.prefix() - own < MIN_REMEMBERED_TOKENS) {
            return false;
        }
        PromptMemory.Entry e = m.entry();
        boolean restored;
        try {
            restored = ctx.restore(e.state(), s.id);
        } catch (RuntimeException x) {
            restored = false;
        }
        if (!restored) {
            memory.take(e);
            ctx.removeTokens(s.id, 0, -1);
            s.nPast = 0;
            LOG.warn("slot {}: a prompt kept in memory could not be restored", s.id);
            return false;
        }
        if (m.prefix() == e.tokens().length) {
            memory.take(e); // the slot holds all of it now; a longer entry stays for the prompts it may serve
        }
        System.arraycopy(e.tokens(), 0, s.tokens, 0, m.prefix());
        s.nPast = m.prefix();
        s.cacheLora = e.lora();
        return true;
    }

    /**
     * When another slot (idle or busy) holds a longer prefix of a text prompt than the chosen slot, by at
     * least {@link #MIN_BORROWED_TOKENS} (or 1/1024 of the slot context), the chosen slot takes a copy of that slot's KV cache, trimmed
     * to the prefix later in {@link #start}: a shared system prompt is then computed once, not once per
     * slot. Copying a whole KV stream costs far less than decoding that many tokens again. llama.cpp
     * moves the data at the next decode, which is this iteration's {@link #step} (the new slot always has
     * prompt tokens to add), before any slot file action could read the stream. Returns the slot copied
     * from, or -1.
     */
    private int borrowPrefix(Slot s, Task t, int own) {
        int[] prompt = t.request.prompt();
        Slot donor = null;
        int best = own;
        for (Slot d : slots) {
            if (d == s || !Arrays.equals(d.cacheLora, t.lora)) {
                continue;
            }
            int prefix = d.commonPrefix(prompt); // stops where an image starts: text positions only
            if (prefix > best) {
                best = prefix;
                donor = d;
            }
        }
        if (donor == null || best - own < Math.max(MIN_BORROWED_TOKENS, s.nCtx / 1024)) {
            return -1;
        }
        if (memory != null) {
            PromptMemory.Match m = memory.best(prompt, t.lora);
            if (m != null && m.prefix() > best && m.prefix() - own >= MIN_REMEMBERED_TOKENS && !copying.get(s.id)) {
                return -1; // the memory holds more of it: recalled instead
            }
        }
        ctx.copySequence(donor.id, s.id, -1, -1);
        copying.set(donor.id);
        copying.set(s.id);
        System.arraycopy(donor.tokens, 0, s.tokens, 0, best);
        s.nPast = best;
        s.cacheLora = donor.cacheLora;
        return donor.id;
    }

    /**
     * One batch: each generating slot's pending token (followed by its draft, when speculating),
     * then prompt chunks of slots still reading their prompt.
     */
    private void step() {
        evaluateImage();
        batch.clear();
        long now = System.nanoTime();
        float[] scales = loraScales(now);
        List<Slot> generating = new ArrayList<>();
        List<Slot> prompting = new ArrayList<>();
        for (Slot s : slots) {
            s.batchIndex = -1;
            s.draftCount = 0;
            if (scales != null && !Arrays.equals(s.lora, scales)) {
                continue; // its LoRA scales take another turn
            }
            if (s.generating()) {
                if (s.bucket != null && !s.bucket.tryTake(now)) {
                    continue;
                }
                s.batchIndex = batch.add(s.pendingToken, s.nPast, s.id, true);
                generating.add(s);
            }
        }
        if (drafter != null) {
            for (Slot s : generating) {
                addDraft(s);
            }
        }
        for (Slot s : slots) {
            if (!s.processingPrompt() || batch.remaining() == 0
                    || scales != null && !Arrays.equals(s.lora, scales)) {
                continue;
            }
            // an image stops the slot's text here: it is encoded on its own at the start of a later step
            while (s.promptPos < s.prompt.length && batch.remaining() > 0 && s.prompt[s.promptPos] >= 0) {
                boolean last = s.promptPos == s.prompt.length - 1;
                int idx = batch.add(s.prompt[s.promptPos], s.promptPos, s.id, last);
                if (last) {
                    s.batchIndex = idx;
                }
                s.promptPos++;
            }
            prompting.add(s);
        }
        if (batch.isEmpty()) {
            return;
        }
        int busy = 0;
        for (Slot s : slots) {
            if (s.busy()) {
                busy++;
            }
        }
        long t0 = System.nanoTime();
        int rc;
        try {
            if (scales != null) {
                lora.apply(ctx, scales);
            }
            rc = ctx.decode(batch);
            copying.clear(); // llama.cpp moved the queued stream copies before computing
        } catch (RuntimeException e) {
            LOG.error("decode failed", e);
            failAll(generating, prompting, new EngineException(EngineException.Kind.INTERNAL, "decode failed: " + e.getMessage()));
            return;
        }
        long t1 = System.nanoTime();
        if (rc != 0) {
            LOG.warn("decode returned {} for a batch of {} tokens", rc, batch.size());
            failAll(generating, prompting, new EngineException(EngineException.Kind.UNAVAILABLE,
                    "the KV cache has no room for this request (decode status " + rc + ")"));
            return;
        }
        counters.decoded(busy);
        int promptTokens = 0;
        for (Slot s : prompting) {
            int fed = s.promptPos - s.nPast;
            System.arraycopy(s.prompt, s.nPast, s.tokens, s.nPast, fed);
            s.nPast = s.promptPos;
            promptTokens += fed;
        }
        int genTokens = batch.size() - promptTokens;
        double seconds = (t1 - t0) / 1e9;
        if (promptTokens > 0) {
            counters.prompt(promptTokens, seconds * promptTokens / batch.size());
        }
        int sampled = 0;
        for (Slot s : generating) {
            int before = s.generated;
            verify(s);
            sampled += s.generated - before;
            if (s.busy()) {
                s.publish();
            }
        }
        for (Slot s : prompting) {
            if (s.busy() && s.batchIndex >= 0) {
                int before = s.generated;
                int token = emit(s, s.batchIndex);
                sampled += s.generated - before;
                if (token >= 0) {
                    s.pendingToken = token;
                }
            }
            if (s.busy()) {
                s.publish();
            }
        }
        // Predicted tokens are the tokens sampled, as a response's tokens_predicted counts them; their time
        // is the share of this decode spent on generated (not prompt) tokens.
        if (sampled > 0 || genTokens > 0) {
            counters.predicted(0, seconds * genTokens / batch.size()); // the tokens were counted as sampled
        }
        counters.kv(kvTokens(), ctx.nCtx());
    }

    /**
     * The LoRA scales of this step's decode: among the slots that could take part now, those with the
     * same scales go together, and differing scales take turns. Null when no slot has work.
     */
    private float[] loraScales(long now) {
        List<float[]> sets = new ArrayList<>(2);
        for (Slot s : slots) {
            boolean ready = s.processingPrompt()
                    || s.generating() && (s.bucket == null || s.bucket.nanosUntilToken(now) == 0);
            if (ready && sets.stream().noneMatch(x -> Arrays.equals(x, s.lora))) {
                sets.add(s.lora);
            }
        }
        return lora.choose(sets);
    }

    /**
     * Encodes the image that one slot's prompt has reached and decodes its embeddings into the slot's
     * sequence, with that slot's LoRA scales. One image per step, slots taking turns, so that a slot
     * reading images does not hold up the others' generation for long.
     */
    private void evaluateImage() {
        for (int k = 0; k < slots.length; k++) {
            Slot s = slots[(imageTurn + k) % slots.length];
            if (!s.atImage()) {
                continue;
            }
            imageTurn = s.id + 1;
            LlamaMediaPrompt.Image image = s.media.imageAt(s.nPast);
            long t0 = System.nanoTime();
            try {
                if (image == null) {
                    throw new IllegalStateException("no image starts at position " + s.nPast);
                }
                lora.apply(ctx, s.lora);
                int next = s.media.evaluate(image, ctx, s.id, s.nPast);
                copying.clear();
                if (next != image.end()) {
                    throw new IllegalStateException("the image ended at position " + next + ", not " + image.end());
                }
            } catch (RuntimeException e) {
                LOG.error("slot {}: the image at position {} could not be encoded", s.id, s.nPast, e);
                fail(s, new EngineException(EngineException.Kind.INTERNAL, "the image could not be encoded: "
                        + e.getMessage()));
                return;
            }
            System.arraycopy(s.prompt, image.start(), s.tokens, image.start(), image.positions());
            s.nPast = image.end();
            s.promptPos = image.end();
            counters.prompt(image.tokens(), (System.nanoTime() - t0) / 1e9);
            s.publish();
            return;
        }
    }

    /**
     * KV cells a slot's sequence holds: its positions, and for a running task's M-RoPE images also the
     * embeddings beyond their positions (such an image spans fewer positions than it has embeddings).
     */
    private static int kvCells(Slot s) {
        return s.media != null ? s.media.tokensBefore(s.nPast) : s.nPast;
    }

    /** The prompt tokens a slot's task found in the cache (an image counts its embeddings). */
    private static int cachedTokens(Slot s) {
        return s.media != null ? s.media.tokensBefore(s.cachedTokens) : s.cachedTokens;
    }

    /** Appends the drafter's proposal for a generating slot to the batch (outputs on every token). */
    private void addDraft(Slot s) {
        if (s.media != null) {
            return; // drafters read the history as text; images are not text
        }
        int room = Math.min(speculative.draftMax(), Math.min(batch.remaining(), s.nCtx - s.nPast - 3));
        int max = s.task.request.maxTokens();
        if (max >= 0) {
            room = Math.min(room, max - s.generated - 1); // no draft past the request's last token
        }
        if (room < Math.max(1, speculative.draftMin())) {
            return;
        }
        int[] draft;
        try {
            draft = drafter.draft(s, s.pendingToken, room);
        } catch (RuntimeException e) {
            LOG.warn("drafting failed for slot {}: {}", s.id, e.getMessage());
            return;
        }
        if (draft.length < Math.max(1, speculative.draftMin())) {
            return;
        }
        if (s.draft.length < draft.length) {
            s.draft = new int[speculative.draftMax()];
        }
        for (int i = 0; i < draft.length; i++) {
            s.draft[i] = draft[i];
            batch.add(draft[i], s.nPast + 1 + i, s.id, true);
        }
        s.draftCount = draft.length;
    }

    /**
     * After a decode: the pending token is in the cache; samples at its output and, while the sampled
     * token equals the next drafted one, at the draft's outputs too. Rejected draft tokens leave the cache.
     */
    private void verify(Slot s) {
        int base = s.batchIndex;
        int k = s.draftCount;
        s.tokens[s.nPast++] = s.pendingToken;
        s.pendingToken = -1;
        // counted before emit() can finish the task, so that the metrics agree with its usage by then
        s.drafted += k;
        if (k > 0) {
            counters.drafted(k, 0);
        }
        for (int i = 0; i <= k; i++) {
            int token = emit(s, base + i);
            if (token < 0) {
                break; // finished: the slot is released
            }
            if (i < k && token == s.draft[i]) {
                s.tokens[s.nPast++] = token;
                s.draftAccepted++;
                counters.drafted(0, 1);
                continue;
            }
            s.pendingToken = token;
            break;
        }
        if (k > 0) {
            ctx.removeTokens(s.id, s.nPast, -1);
        }
    }

    private void failAll(List<Slot> generating, List<Slot> prompting, EngineException error) {
        for (Slot s : generating) {
            fail(s, error);
        }
        for (Slot s : prompting) {
            fail(s, error);
        }
    }

    private int kvTokens() {
        int n = 0;
        for (Slot s : slots) {
            n += kvCells(s);
        }
        return n;
    }

    /**
     * Samples at a batch index and reports the token. Returns the token when generation goes on, or
     * -1 when the task finished (end of generation, stop string, limit, context full).
     */
    private int emit(Slot s, int index) {
        Task t = s.task;
        long now = System.nanoTime();
        if (s.firstTokenNanos == 0) {
            s.firstTokenNanos = now;
        }
        List<TokenProbabilities> probs = null;
        int token;
        List<TokenProbability> top = null;
        try {
            if (t.request.nProbs() > 0) {
                top = ctx.topProbabilities(index, t.request.nProbs());
            }
            token = t.sampler.sample(ctx, index);
        } catch (RuntimeException e) {
            fail(s, new EngineException(EngineException.Kind.INTERNAL, e.getMessage()));
            return -1;
        }
        s.generated++;
        counters.predicted(1, 0); // before the task can finish, so that metrics agree with its usage by then
        if (!t.request.ignoreEos() && vocab.isEndOfGeneration(token)) {
            finish(s, FinishReason.STOP, null, now);
            return -1;
        }
        byte[] bytes = vocab.piece(token, settings.renderSpecial() || t.request.returnSpecial());
        if (top != null) {
            probs = List.of(probabilities(index, token, bytes, top));
        }
        String text = s.stops.push(s.decoder.feed(bytes));
        if (!text.isEmpty() || probs != null) {
            List<TokenProbabilities> p = probs;
            withRequestId(t, () -> t.listener.onText(text, p));
        }
        if (s.stops.matched() != null) {
            finish(s, FinishReason.STOP, s.stops.matched(), now);
            return -1;
        }
        int max = t.request.maxTokens();
        if (max >= 0 && s.generated >= max) {
            finish(s, FinishReason.LENGTH, null, now);
            return -1;
        }
        if (kvCells(s) + 1 >= s.nCtx && !shiftContext(s)) {
            finish(s, FinishReason.LENGTH, null, now);
            return -1;
        }
        return token;
    }

    private TokenProbabilities probabilities(int index, int token, byte[] bytes, List<TokenProbability> top) {
        List<TokenProbabilities.Candidate> candidates = new ArrayList<>(top.size());
        float logprob = Float.NaN;
        for (TokenProbability p : top) {
            byte[] b = vocab.piece(p.token(), false);
            candidates.add(new TokenProbabilities.Candidate(p.token(), new String(b, StandardCharsets.UTF_8), b, p.logprob()));
            if (p.token() == token) {
                logprob = p.logprob();
            }
        }
        if (Float.isNaN(logprob)) {
            logprob = (float) Math.log(Math.max(ctx.probability(index, token), Float.MIN_VALUE));
        }
        return new TokenProbabilities(token, new String(bytes, StandardCharsets.UTF_8), bytes, logprob, candidates);
    }

    /** Discards half of the tokens after the kept prefix so generation can go on. */
    private boolean shiftContext(Slot s) {
        if (!settings.contextShift() || !ctx.canShift()) {
            return false;
        }
        int nKeep = s.task.request.nKeep();
        int keep = nKeep < 0 ? s.prompt.length : nKeep + (vocab.addsBos() ? 1 : 0);
        keep = Math.min(keep, s.nPast - 1);
        int discard = (s.nPast - keep) / 2;
        if (discard <= 0) {
            return false;
        }
        ctx.removeTokens(s.id, keep, keep + discard);
        ctx.shiftPositions(s.id, keep + discard, s.nPast, -discard);
        System.arraycopy(s.tokens, keep + discard, s.tokens, keep, s.nPast - keep - discard);
        s.nPast -= discard;
        LOG.info("slot {}: context shift discarded {} tokens after the first {}", s.id, discard, keep);
        return true;
    }

    private void finish(Slot s, FinishReason reason, String stopWord, long now) {
        Task t = s.task;
        if (reason != FinishReason.CANCELLED && s.stops.matched() == null) {
            String tail = s.stops.push(s.decoder.flush());
            String out = s.stops.matched() == null ? tail + s.stops.drain() : tail;
            if (!out.isEmpty()) {
                withRequestId(t, () -> t.listener.onText(out, null));
            }
        }
        double promptMs = s.firstTokenNanos == 0 ? (now - s.admittedNanos) / 1e6 : (s.firstTokenNanos - s.admittedNanos) / 1e6;
        double predictedMs = s.firstTokenNanos == 0 ? 0 : (now - s.firstTokenNanos) / 1e6;
        Usage usage = new Usage(t.promptTokens(), cachedTokens(s), s.generated, promptMs, predictedMs, s.drafted,
                s.draftAccepted);
        if (drafter != null) {
            drafter.finished(s);
        }
        t.end();
        s.release(now);
        notifyComplete(t, reason, stopWord, usage);
    }

    private void fail(Slot s, EngineException error) {
        Task t = s.task;
        if (t == null) {
            return;
        }
        ctx.removeTokens(s.id, 0, -1);
        s.nPast = 0;
        t.end();
        s.release(System.nanoTime());
        withRequestId(t, () -> t.listener.onError(error));
    }

    private void notifyComplete(Task t, FinishReason reason, String stopWord, Usage usage) {
        withRequestId(t, () -> {
            LOG.info("task {} finished ({}): {} prompt tokens ({} cached), {} generated", t.id,
                    reason.name().toLowerCase(), usage.promptTokens(), usage.cachedTokens(), usage.completionTokens());
            t.listener.onComplete(reason, stopWord, usage);
        });
    }

    private static void withRequestId(Task t, Runnable r) {
        String id = t.request.requestId();
        if (id != null) {
            MDC.put("request_id", id);
        }
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("listener of task {} failed", t.id, e);
        } finally {
            MDC.remove("request_id");
        }
    }

    private void shutdown() {
        long now = System.nanoTime();
        for (Slot s : slots) {
            if (s.busy()) {
                finish(s, FinishReason.CANCELLED, null, now);
            }
        }
        for (Task t : waiting) {
            t.end();
            notifyComplete(t, FinishReason.CANCELLED, null, new Usage(t.promptTokens(), 0, 0, 0, 0, 0, 0));
        }
        waiting.clear();
        for (Object o; (o = inbox.poll()) != null; ) {
            if (o instanceof ThreadCall<?> c) {
                c.result().completeExceptionally(new IllegalStateException("the engine is closed"));
            }
            if (o instanceof Task t) {
                t.end();
                notifyComplete(t, FinishReason.CANCELLED, null, new Usage(t.promptTokens(), 0, 0, 0, 0, 0, 0));
            }
        }
        batch.close();
        if (drafter != null) {
            drafter.close();
        }
        if (memory != null) {
            memory.close();
        }
    }
}
