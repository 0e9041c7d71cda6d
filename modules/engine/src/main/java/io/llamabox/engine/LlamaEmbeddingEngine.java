package io.llamabox.engine;

import io.llamabox.jni.Batch;
import io.llamabox.jni.Context;
import io.llamabox.jni.ContextParams;
import io.llamabox.jni.LoadProgress;
import io.llamabox.jni.Model;
import io.llamabox.jni.ModelParams;
import io.llamabox.jni.PoolingType;
import io.llamabox.jni.Vocab;
import io.llamabox.spi.EmbeddingEngine;
import io.llamabox.spi.EngineException;
import io.llamabox.spi.ModelDescription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeddings and rerank scores with a pooling context. One worker thread packs the inputs of all
 * waiting requests into batches of up to {@code slots} sequences and {@code n_batch} tokens.
 */
public final class LlamaEmbeddingEngine implements EmbeddingEngine {
    private static final Logger LOG = LoggerFactory.getLogger(LlamaEmbeddingEngine.class);

    private record Job(List<int[]> inputs, float[][] results, CompletableFuture<List<float[]>> future, int[] next) {
    }

    private final Model model;
    private final Context context;
    private final Vocab vocab;
    private final int slots;
    private final boolean encoder;
    private final ModelDescription description;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean running = true;

    private LlamaEmbeddingEngine(Model model, Context context, int slots, String alias) {
        this.model = model;
        this.context = context;
        this.vocab = model.vocab();
        this.slots = slots;
        this.encoder = model.info().hasEncoder() && !model.info().hasDecoder();
        String id = alias != null && !alias.isBlank() ? alias : model.path().getFileName().toString();
        this.description = new ModelDescription(id, model.path().toString(), model.info().architecture(),
                model.info().parameterCount(), model.info().sizeBytes(), vocab.size(), model.info().nCtxTrain(),
                model.info().nEmbd(), context.nCtx(), context.nBatch(), slots, "", piece(vocab.bos()),
                piece(vocab.eos()), vocab.addsBos(), vocab.hasFim(), model.metadata());
        this.worker = Thread.ofPlatform().name("llama-box-embeddings").unstarted(this::work);
        this.worker.start();
    }

    private String piece(int token) {
        return token == Vocab.NULL_TOKEN ? "" : new String(vocab.piece(token, true), StandardCharsets.UTF_8);
    }

    /**
     * Loads a model for embeddings: {@code nCtx} tokens shared by {@code slots} sequences, each input
     * at most {@code nBatch} tokens (the whole input is one physical batch).
     */
    public static LlamaEmbeddingEngine start(Path path, String alias, ModelParams params, int nCtx, int nBatch,
                                             int slots, int threads, PoolingType pooling, LoadProgress progress) {
        Model model = Model.load(path, params, progress);
        try {
            int batch = Math.max(nBatch, 1);
            ContextParams cp = ContextParams.embedding(nCtx, batch, slots, threads, pooling);
            Context ctx = new Context(model, cp);
            LOG.info("embedding model loaded: {}, pooling {}, {} slots, inputs up to {} tokens",
                    model.info().description(), ctx.pooling(), slots, batch);
            return new LlamaEmbeddingEngine(model, ctx, slots, alias);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    @Override
    public ModelDescription model() {
        return description;
    }

    @Override
    public int[] tokenize(String text, boolean addSpecial, boolean parseSpecial) {
        return vocab.tokenize(text, addSpecial, parseSpecial);
    }

    @Override
    public int vocabularySize() {
        return vocab.size();
    }

    @Override
    public boolean ranks() {
        return context.pooling() == PoolingType.RANK;
    }

    @Override
    public int maxInputTokens() {
        return Math.min(context.nBatch(), context.nCtxPerSequence());
    }

    @Override
    public CompletableFuture<List<float[]>> embed(String requestId, List<int[]> inputs) {
        if (!running) {
            throw new EngineException(EngineException.Kind.UNAVAILABLE, "the server is shutting down");
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
                        + " tokens but at most " + max + " fit in one batch (raise --batch-size/--ubatch-size)");
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

    private void work() {
        try (Batch batch = Batch.allocate(context.nBatch())) {
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
                if (!running) {
                    break;
                }
                runBatch(batch, jobs);
                jobs.removeIf(j -> j.future().isDone());
            }
            for (Job j : jobs) {
                j.future().completeExceptionally(new EngineException(EngineException.Kind.UNAVAILABLE, "shutting down"));
            }
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
            int rc = encoder ? context.encode(batch) : context.decode(batch);
            if (rc != 0) {
                throw new EngineException(EngineException.Kind.UNAVAILABLE, "embedding batch failed (status " + rc + ")");
            }
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
        model.close();
    }
}
