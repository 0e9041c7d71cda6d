package io.llamabox.engine;

import io.llamabox.jni.Batch;
import io.llamabox.jni.Context;
import io.llamabox.jni.ContextParams;
import io.llamabox.jni.FlashAttention;
import io.llamabox.jni.LoadProgress;
import io.llamabox.jni.Llama;
import io.llamabox.jni.Model;
import io.llamabox.jni.ModelParams;
import io.llamabox.jni.PoolingType;
import io.llamabox.jni.Vocab;
import io.llamabox.spi.EmbeddingEngine;
import io.llamabox.spi.EngineException;
import io.llamabox.spi.EngineMetrics;
import io.llamabox.spi.ModelDescription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeddings and rerank scores with a pooling context. One worker thread packs the inputs of all
 * waiting requests into batches of up to {@code slots} sequences and {@code n_batch} tokens.
 */
public final class LlamaEmbeddingEngine implements EmbeddingEngine, VocabularyTokenizer {
    private static final Logger LOG = LoggerFactory.getLogger(LlamaEmbeddingEngine.class);
    /** {@code LLAMA_TOKEN_ATTR_UNKNOWN}. */
    private static final int ATTR_UNKNOWN = 1;

    private record Job(List<int[]> inputs, float[][] results, CompletableFuture<List<float[]>> future, int[] next) {
    }

    private final Model model;
    private final boolean ownsModel;
    private final Context context;
    private final Vocab vocab;
    private final int slots;
    private final boolean encoder;
    private final int maxInput;
    private final ModelDescription description;
    private final String rerankTemplate;
    private final EngineCounters counters = new EngineCounters();
    private final AtomicInteger processing = new AtomicInteger();
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile int unknownToken = -2;
    private volatile boolean running = true;

    private LlamaEmbeddingEngine(Model model, boolean ownsModel, Context context, String alias) {
        this.model = model;
        this.ownsModel = ownsModel;
        this.context = context;
        this.vocab = model.vocab();
        this.slots = context.nSeqMax();
        this.encoder = model.info().hasEncoder() && !model.info().hasDecoder();
        // Absolute position embeddings (BERT) end at the training context: no input may go past it.
        int train = model.info().nCtxTrain();
        this.maxInput = Math.min(Math.min(batchTokens(context), context.nCtxPerSequence()),
                train > 0 ? train : Integer.MAX_VALUE);
        String template = model.chatTemplate("rerank");
        this.rerankTemplate = template == null || template.isBlank() ? null : template;
        String id = alias != null && !alias.isBlank() ? alias : model.path().getFileName().toString();
        this.description = new ModelDescription(id, model.path().toString(), model.info().architecture(),
                model.info().parameterCount(), model.info().sizeBytes(), vocab.size(), model.info().nCtxTrain(),
                model.info().nEmbd(), context.nCtx(), maxInput, slots, "", pieceOf(vocab.bos()),
                pieceOf(vocab.eos()), vocab.addsBos(), vocab.hasFim(), model.metadata());
        this.worker = Thread.ofPlatform().name("llama-box-embeddings").unstarted(this::work);
        this.worker.start();
    }

    /** The most tokens one batch holds: the cache is cleared after each, so it must hold them all at once. */
    private static int batchTokens(Context context) {
        return Math.min(context.nBatch(), context.nCtx());
    }

    private String pieceOf(int token) {
        return token == Vocab.NULL_TOKEN ? "" : new String(vocab.piece(token, true), StandardCharsets.UTF_8);
    }

    /**
     * Loads a model for embeddings: {@code nCtx} tokens shared by {@code slots} sequences, each input
     * at most {@code nBatch} tokens (the whole input is one physical batch).
     */
    public static LlamaEmbeddingEngine start(Path path, String alias, ModelParams params, int nCtx, int nBatch,
                                             int slots, int threads, PoolingType pooling, LoadProgress progress) {
        int batch = Math.max(nBatch, 1);
        return start(path, alias, params, ContextParams.embedding(nCtx, batch, slots, threads, pooling), progress);
    }

    /** Loads a model for embeddings with a context made from {@code context} (embeddings switched on). */
    public static LlamaEmbeddingEngine start(Path path, String alias, ModelParams params, ContextParams context,
                                             LoadProgress progress) {
        Model model = Model.load(path, params, progress);
        try {
            return create(model, true, alias, context);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * An embedding context on a model another engine already loaded (the text engine of the same
     * model): the weights are shared, the model stays open when this engine closes.
     */
    public static LlamaEmbeddingEngine attach(Model model, String alias, ContextParams context) {
        return create(model, false, alias, context);
    }

    /**
     * An embedding context beside {@code text}, on its model: steered by the text context's control
     * vectors, and computing its batches on the text engine's scheduler thread, so that one thread (one
     * OpenMP team) computes every graph of the model (see {@link SlotScheduler#onSchedulerThread}).
     */
    public static LlamaEmbeddingEngine attach(LlamaTextEngine text, String alias, ContextParams context,
                                              ControlVectors controlVectors) {
        Model model = text.nativeModel();
        LlamaEmbeddingEngine e = create(model, false, alias, context);
        try {
            controlVectors.applyTo(e.context, model);
        } catch (RuntimeException x) {
            e.close();
            throw x;
        }
        e.compute = text::onComputeThread;
        return e;
    }

    /** Where a batch is computed: here, or on the scheduler thread of the text engine beside this one. */
    private interface ComputeThread {
        <T> T run(java.util.function.Supplier<T> work);
    }

    private volatile ComputeThread compute = java.util.function.Supplier::get;

    private static LlamaEmbeddingEngine create(Model model, boolean owns, String alias, ContextParams p) {
        // The whole input is one physical batch: non-causal models need every token of a sequence at once.
        // Flash attention only when asked for: on the CPU it makes a sequence's vector depend (by up to 1e-2)
        // on the other sequences of its batch, so results would depend on concurrent requests.
        FlashAttention fa = p.flashAttention() == FlashAttention.ENABLED ? FlashAttention.ENABLED
                : FlashAttention.DISABLED;
        ContextParams cp = new ContextParams(p.nCtx(), p.nBatch(), p.nBatch(), p.nSeqMax(), p.nThreads(),
                p.nThreadsBatch(), fa, p.typeK(), p.typeV(), true, p.pooling(), p.attention(),
                p.offloadKqv(), p.ropeScaling(), p.ropeFreqBase(), p.ropeFreqScale(), p.yarnExtFactor(),
                p.yarnAttnFactor(), p.yarnBetaFast(), p.yarnBetaSlow(), p.yarnOrigCtx(), true, p.swaFull());
        Context ctx = new Context(model, cp);
        try {
            LlamaEmbeddingEngine e = new LlamaEmbeddingEngine(model, owns, ctx, alias);
            LOG.info("embedding model loaded: {}, pooling {}, {} slots, inputs up to {} tokens",
                    model.info().description(), ctx.pooling(), e.slots, e.maxInput);
            return e;
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
    }

    /** The pooling this engine's context uses (the model's own unless one was asked for). */
    public PoolingType pooling() {
        return context.pooling();
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
    public boolean ranks() {
        return context.pooling() == PoolingType.RANK;
    }

    @Override
    public int maxInputTokens() {
        return maxInput;
    }

    @Override
    public int[] rankingPair(String query, String document) {
        if (rerankTemplate != null) {
            return fromTemplate(query, document);
        }
        return pair(vocab.tokenize(query, false, false), vocab.tokenize(document, false, false));
    }

    @Override
    public int[] rankingFloor(String query) {
        int unk = unknownToken();
        if (rerankTemplate != null) {
            return fromTemplate(query, pieceOf(unk));
        }
        return pair(vocab.tokenize(query, false, false), new int[] {unk});
    }

    /** The model's {@code rerank} template with the two texts in place, special tokens parsed. */
    private int[] fromTemplate(String query, String document) {
        String text = rerankTemplate.replace("{query}", query).replace("{document}", document);
        return vocab.tokenize(text, false, true);
    }

    /** [BOS] query [EOS] [SEP] document [EOS], each special token only where the vocabulary adds it. */
    private int[] pair(int[] query, int[] document) {
        int[] out = new int[query.length + document.length + 4];
        int n = 0;
        if (vocab.addsBos() && vocab.bos() != Vocab.NULL_TOKEN) {
            out[n++] = vocab.bos();
        }
        System.arraycopy(query, 0, out, n, query.length);
        n += query.length;
        boolean eos = vocab.addsEos() && vocab.eos() != Vocab.NULL_TOKEN;
        if (eos) {
            out[n++] = vocab.eos();
        }
        if (vocab.addsSep() && vocab.sep() != Vocab.NULL_TOKEN) {
            out[n++] = vocab.sep();
        }
        System.arraycopy(document, 0, out, n, document.length);
        n += document.length;
        if (eos) {
            out[n++] = vocab.eos();
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * The vocabulary's unknown token; vocabularies without one (byte-level BPE) use padding, then
     * end-of-sequence, as the document that matches nothing.
     */
    private int unknownToken() {
        int unk = unknownToken;
        if (unk != -2) {
            return unk;
        }
        unk = Vocab.NULL_TOKEN;
        for (int t = 0; t < vocab.size() && unk == Vocab.NULL_TOKEN; t++) {
            if ((vocab.attributes(t) & ATTR_UNKNOWN) != 0) {
                unk = t;
            }
        }
        if (unk == Vocab.NULL_TOKEN) {
            unk = vocab.pad() != Vocab.NULL_TOKEN ? vocab.pad() : vocab.eos() != Vocab.NULL_TOKEN ? vocab.eos() : 0;
        }
        unknownToken = unk;
        return unk;
    }

    @Override
    public CompletableFuture<List<float[]>> embed(String requestId, List<int[]> inputs) {
        if (!running) {
            throw new EngineException(EngineException.Kind.UNAVAILABLE, "the server is shutting down");
        }
        if (context.pooling() == PoolingType.NONE) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "pooling 'none' gives a vector per"
                    + " token, not one per input; start the server with --pooling mean, cls or last");
        }
        if (inputs.isEmpty()) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "no input given");
        }
        int max = maxInputTokens();
        for (int i = 0; i < inputs.size(); i++) {
            int[] in = inputs.get(i);
            if (in.length == 0) {
                throw new EngineException(EngineException.Kind.INVALID_REQUEST, "input " + i + " is empty");
            }
            if (in.length > max) {
                throw new EngineException(EngineException.Kind.INVALID_REQUEST, "input " + i + " has " + in.length
                        + " tokens but at most " + max + " fit (the smallest of --batch-size, each slot's share of"
                        + " --ctx-size, and the model's training context)");
            }
            for (int t : in) {
                if (!vocab.isValid(t)) {
                    throw new EngineException(EngineException.Kind.INVALID_REQUEST,
                            "token id " + t + " is out of range [0, " + vocab.size() + ")");
                }
            }
        }
        CompletableFuture<List<float[]>> f = new CompletableFuture<>();
        queue.add(new Job(List.copyOf(inputs), new float[inputs.size()][], f, new int[1]));
        return f;
    }

    @Override
    public EngineMetrics metrics() {
        return counters.snapshot(processing.get(), queue.size());
    }

    private void work() {
        Llama.placeComputeThread().ifPresent(p -> LOG.warn("compute threads: could not apply {}", p));
        try (Batch batch = Batch.allocate(batchTokens(context))) {
            List<Job> jobs = new ArrayList<>();
            while (running) {
                try {
                    if (jobs.isEmpty()) {
                        jobs.add(queue.take());
                    }
                    queue.drainTo(jobs);
                } catch (InterruptedException e) {
                    break;
                }
                processing.set(jobs.size());
                if (!running) {
                    break;
                }
                runBatch(batch, jobs);
                jobs.removeIf(j -> j.future().isDone());
                processing.set(jobs.size());
            }
            for (Job j : jobs) {
                j.future().completeExceptionally(new EngineException(EngineException.Kind.UNAVAILABLE, "shutting down"));
            }
            processing.set(0);
        }
    }

    /** Fills one batch from the jobs in order, runs it, and stores each sequence's result. */
    private void runBatch(Batch batch, List<Job> jobs) {
        batch.clear();
        record Item(Job job, int index, int seq) {
        }
        List<Item> items = new ArrayList<>();
        fill:
        for (Job job : jobs) {
            while (job.next()[0] < job.inputs().size()) {
                int[] in = job.inputs().get(job.next()[0]);
                if (items.size() == slots || in.length > batch.remaining()) {
                    break fill;
                }
                int seq = items.size();
                for (int p = 0; p < in.length; p++) {
                    batch.add(in[p], p, seq, true);
                }
                items.add(new Item(job, job.next()[0], seq));
                job.next()[0]++;
            }
        }
        try {
            long t0 = System.nanoTime();
            int rc = compute.run(() -> encoder ? context.encode(batch) : context.decode(batch));
            if (rc != 0) {
                throw new EngineException(EngineException.Kind.UNAVAILABLE, "embedding batch failed (status " + rc + ")");
            }
            counters.prompt(batch.size(), (System.nanoTime() - t0) / 1e9);
            counters.decoded(items.size());
            for (Item it : items) {
                it.job().results()[it.index()] = context.sequenceEmbedding(it.seq());
            }
        } catch (RuntimeException e) {
            EngineException error = e instanceof EngineException ee ? ee
                    : new EngineException(EngineException.Kind.INTERNAL, e.getMessage());
            for (Item it : items) {
                it.job().future().completeExceptionally(error);
            }
        } finally {
            context.clearMemory();
        }
        for (Job job : jobs) {
            if (!job.future().isDone() && job.next()[0] == job.inputs().size()) {
                boolean all = true;
                for (float[] r : job.results()) {
                    all &= r != null;
                }
                if (all) {
                    job.future().complete(List.of(job.results()));
                }
            }
        }
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        worker.interrupt();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        context.close();
        if (ownsModel) {
            model.close();
        }
    }
}
