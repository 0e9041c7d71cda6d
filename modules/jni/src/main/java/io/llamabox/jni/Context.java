package io.llamabox.jni;

import java.nio.file.Path;
import java.util.List;

/**
 * A llama.cpp inference context: the KV cache of up to {@code nSeqMax} sequences plus the outputs of
 * the last decoded batch. One thread owns a context. Batch indices, sequence ids and token ids are
 * checked before any native use; the native side checks them again.
 */
public final class Context extends NativeHandle {
    /** {@link #decode} result: no KV-cache slot for the batch (try a smaller batch or free sequences). */
    public static final int DECODE_NO_SLOT = 1;
    /** {@link #decode} result: aborted. */
    public static final int DECODE_ABORTED = 2;

    private final Model model;
    private final int nCtx, nCtxSeq, nBatch, nUbatch, nSeqMax, nVocab, nEmbd;
    private final PoolingType pooling;
    private int lastBatchSize;

    public Context(Model model, ContextParams p) {
        super("context", create(model, p));
        this.model = model;
        int[] n = Natives.contextInts(pointer());
        nCtx = n[0];
        nCtxSeq = n[1];
        nBatch = n[2];
        nUbatch = n[3];
        nSeqMax = n[4];
        pooling = PoolingType.of(n[5]);
        nVocab = model.info().nVocab();
        nEmbd = model.info().nEmbd();
    }

    private static long create(Model model, ContextParams p) {
        long m = model.pointer();
        int maxSeq = Natives.maxParallelSequences();
        if (p.nSeqMax() > maxSeq) {
            throw new IllegalArgumentException("n_seq_max " + p.nSeqMax() + " exceeds llama.cpp's limit " + maxSeq);
        }
        NativeLog.startCapture();
        long ctx;
        String why;
        try {
            ctx = Natives.contextNew(m, p.nCtx(), p.nBatch(), p.nUbatch(), p.nSeqMax(), p.nThreads(),
                    p.nThreadsBatch(), p.flashAttention().code, p.typeK().code, p.typeV().code, p.embeddings(),
                    p.pooling().code, p.attention().code, p.offloadKqv(), p.ropeScaling().code,
                    p.ropeFreqBase(), p.ropeFreqScale(), p.yarnExtFactor(), p.yarnAttnFactor(), p.yarnBetaFast(),
                    p.yarnBetaSlow(), p.yarnOrigCtx(), p.kvUnified(), p.swaFull(), false);
        } finally {
            why = NativeLog.stopCapture();
        }
        if (ctx == 0) {
            throw new LlamaException("failed to create a context for " + model.path() + (why.isEmpty() ? "" : ": " + why));
        }
        return ctx;
    }

    public Model model() { return model; }
    public int nCtx() { return nCtx; }
    /** The context each sequence may use. */
    public int nCtxPerSequence() { return nCtxSeq; }
    public int nBatch() { return nBatch; }
    public int nUbatch() { return nUbatch; }
    public int nSeqMax() { return nSeqMax; }
    public PoolingType pooling() { return pooling; }

    /**
     * Decodes the batch. Returns 0 on success, {@link #DECODE_NO_SLOT} or {@link #DECODE_ABORTED};
     * invalid input or a fatal error throws.
     */
    public int decode(Batch batch) {
        return run(batch, false);
    }

    /** Runs the encoder (encoder-decoder and embedding models). Same results as {@link #decode}. */
    public int encode(Batch batch) {
        return run(batch, true);
    }

    private int run(Batch batch, boolean encoder) {
        long ctx = pointer();
        int n = batch.size();
        if (n == 0) {
            throw new IllegalArgumentException("batch is empty");
        }
        if (n > nBatch) {
            throw new IllegalArgumentException("batch of " + n + " tokens exceeds n_batch " + nBatch);
        }
        lastBatchSize = 0;
        NativeLog.startCapture();
        int rc;
        String why;
        try {
            rc = encoder ? Natives.encode(ctx, batch.pointer(), n) : Natives.decode(ctx, batch.pointer(), n);
        } finally {
            why = NativeLog.stopCapture();
        }
        if (rc == -100) {
            throw new IllegalArgumentException("batch holds a token, position or sequence id out of range: " + why);
        }
        if (rc < 0) {
            throw new LlamaException((encoder ? "llama_encode" : "llama_decode") + " failed (" + rc + ")"
                    + (why.isEmpty() ? "" : ": " + why));
        }
        if (rc == 0) {
            lastBatchSize = n;
        }
        return rc;
    }

    private void checkOutputIndex(int index) {
        if (index < 0 || index >= lastBatchSize) {
            throw new IndexOutOfBoundsException("batch index " + index + " out of range [0, " + lastBatchSize + ")");
        }
    }

    /** Copies the logits of the batch token at {@code index} (it must have been marked as output). */
    public float[] logits(int index) {
        checkOutputIndex(index);
        float[] out = new float[nVocab];
        Natives.logits(pointer(), index, out);
        return out;
    }

    /** The top {@code n} candidates at a batch index under softmax of the raw logits, best first. */
    public List<TokenProbability> topProbabilities(int index, int n) {
        checkOutputIndex(index);
        if (n < 1 || n > nVocab) {
            throw new IllegalArgumentException("n must be in [1, " + nVocab + "]: " + n);
        }
        int[] tokens = new int[n];
        float[] probs = new float[n];
        float[] logprobs = new float[n];
        int count = Natives.topProbabilities(pointer(), index, n, tokens, probs, logprobs);
        TokenProbability[] out = new TokenProbability[count];
        for (int i = 0; i < count; i++) {
            out[i] = new TokenProbability(tokens[i], probs[i], logprobs[i]);
        }
        return List.of(out);
    }

    /** The probability of one token at a batch index under softmax of the raw logits. */
    public float probability(int index, int token) {
        checkOutputIndex(index);
        model.vocab().check(token);
        return Natives.tokenProbability(pointer(), index, token);
    }

    /** The embedding of the batch token at {@code index} (pooling NONE). */
    public float[] embedding(int index) {
        checkOutputIndex(index);
        float[] out = new float[nEmbd];
        if (!Natives.embeddingsIth(pointer(), index, out)) {
            throw new LlamaException("no embedding at batch index " + index + " (is the context an embedding context?)");
        }
        return out;
    }

    /**
     * The pooled embedding of a sequence (mean, CLS, last) or, for rank pooling, its classifier
     * scores ({@code nClassifierOutputs} values, at least one).
     */
    public float[] sequenceEmbedding(int seqId) {
        checkSeq(seqId);
        int n = pooling == PoolingType.RANK ? Math.max(1, model.info().nClassifierOutputs()) : nEmbd;
        float[] out = new float[n];
        if (!Natives.embeddingsSeq(pointer(), seqId, out)) {
            throw new LlamaException("no pooled embedding for sequence " + seqId);
        }
        return out;
    }

    private void checkSeq(int seqId) {
        if (seqId < 0 || seqId >= nSeqMax) {
            throw new IllegalArgumentException("sequence id " + seqId + " out of range [0, " + nSeqMax + ")");
        }
    }

    public void setThreads(int threads, int threadsBatch) {
        if (threads < 1 || threadsBatch < 1) {
            throw new IllegalArgumentException("thread counts must be at least 1");
        }
        Natives.contextSetThreads(pointer(), threads, threadsBatch);
    }

    public void setEmbeddings(boolean embeddings) {
        Natives.contextSetEmbeddings(pointer(), embeddings);
    }

    public void setCausalAttention(boolean causal) {
        Natives.contextSetCausalAttention(pointer(), causal);
    }

    // --- KV-cache (memory) operations; p1 < 0 means "to the end" ---

    public void clearMemory() {
        Natives.memoryClear(pointer(), true);
        lastBatchSize = 0;
    }

    /** Removes positions [p0, p1) of a sequence (seq -1: every sequence); false if it cannot (recurrent models). */
    public boolean removeTokens(int seqId, int p0, int p1) {
        if (seqId != -1) {
            checkSeq(seqId);
        }
        return Natives.memorySeqRm(pointer(), seqId, p0, p1);
    }

    /**
     * Makes sequence {@code dst} hold positions [p0, p1) of {@code src} as well (p1 &lt; 0: to the end).
     * Without a unified KV cache each sequence has a stream of its own and two different ones can only
     * be copied whole ({@code p0 <= 0}, {@code p1 < 0}): {@code dst}'s stream is replaced by {@code src}'s,
     * the data moving at the next decode. A partial copy between streams is refused.
     */
    public void copySequence(int src, int dst, int p0, int p1) {
        checkSeq(src);
        checkSeq(dst);
        Natives.memorySeqCp(pointer(), src, dst, p0, p1);
    }

    public void keepSequence(int seqId) {
        checkSeq(seqId);
        Natives.memorySeqKeep(pointer(), seqId);
    }

    /** Adds {@code delta} to the positions [p0, p1) of a sequence (context shift). */
    public void shiftPositions(int seqId, int p0, int p1, int delta) {
        checkSeq(seqId);
        Natives.memorySeqAdd(pointer(), seqId, p0, p1, delta);
    }

    public void dividePositions(int seqId, int p0, int p1, int divisor) {
        checkSeq(seqId);
        if (divisor < 1) {
            throw new IllegalArgumentException("divisor must be at least 1");
        }
        Natives.memorySeqDiv(pointer(), seqId, p0, p1, divisor);
    }

    /** The smallest position of a sequence, or -1 if it is empty. */
    public int minPosition(int seqId) {
        checkSeq(seqId);
        return Natives.memorySeqPosMin(pointer(), seqId);
    }

    /** The largest position of a sequence, or -1 if it is empty. */
    public int maxPosition(int seqId) {
        checkSeq(seqId);
        return Natives.memorySeqPosMax(pointer(), seqId);
    }

    public boolean canShift() {
        return Natives.memoryCanShift(pointer());
    }

    // --- per-sequence state ---

    /** Saves a sequence's KV state and its tokens to a file; returns the bytes written. */
    public long saveSequence(Path file, int seqId, int[] tokens) {
        checkSeq(seqId);
        for (int t : tokens) {
            model.vocab().check(t);
        }
        long n = Natives.stateSeqSaveFile(pointer(), Text.utf8(file), seqId, tokens);
        if (n == 0) {
            throw new LlamaException("failed to save sequence " + seqId + " to " + file);
        }
        return n;
    }

    /**
     * Replaces a sequence's cache by a state file's (read with {@link StateFile#read}, written by
     * {@link #saveSequence} or llama.cpp's own tools); returns the tokens it now caches. The file is checked
     * first (see {@link StateFileCheck}) and given to llama.cpp's in-memory reader, which reports a fault
     * instead of aborting. Whatever fails, the sequence is left empty, never half-written. A state file
     * is restored once: the restore writes over the end of its token list.
     */
    public int[] restoreSequence(StateFile file, int seqId) {
        checkSeq(seqId);
        Natives.memorySeqRm(pointer(), seqId, -1, -1);
        lastBatchSize = 0;
        StateFileCheck.Checked checked = StateFileCheck.check(file, model.stateLayout(), nCtxSeq);
        long read = Natives.stateSeqSetDataAt(pointer(), file.handle(), checked.stateOffset(), checked.stateLength(),
                seqId);
        if (read != checked.stateLength()) {
            Natives.memorySeqRm(pointer(), seqId, -1, -1);
            throw new IllegalArgumentException(read == 0
                    ? "llama.cpp refused the cache: its layers, types or sizes differ from this context's"
                    : "llama.cpp read " + read + " of the cache's " + checked.stateLength() + " bytes");
        }
        return checked.tokens();
    }

    /**
     * The most bytes a state file of one sequence of this context may have: every token's key and value
     * rows at four times the embedding width in 32-bit floats, plus a recurrent state as large as 4096
     * such tokens. A guard against reading a huge file into memory; the exact sizes are llama.cpp's to
     * check against this context's.
     */
    public long stateFileBound() {
        ModelInfo info = model.info();
        long perToken = 4L + 20 + (long) info.nLayer() * 2 * 16 * info.nEmbd();
        return StateFileCheck.HEADER_BYTES + perToken * (nCtxSeq + 4096L) + 64L * 1024;
    }

    /** Copies a sequence's KV state into native memory (close the snapshot to free it). */
    public SequenceSnapshot snapshot(int seqId) {
        checkSeq(seqId);
        return new SequenceSnapshot(Natives.stateSeqSnapshot(pointer(), seqId));
    }

    /**
     * Replaces a sequence's KV state by a snapshot's; false if the snapshot does not fit this context
     * (then the sequence is left empty).
     */
    public boolean restore(SequenceSnapshot snapshot, int seqId) {
        checkSeq(seqId);
        return Natives.stateSeqRestore(pointer(), snapshot.handle(), seqId);
    }

    public long sequenceStateSize(int seqId) {
        checkSeq(seqId);
        return Natives.stateSeqSize(pointer(), seqId);
    }

    // --- adapters ---

    /** Applies exactly these LoRA adapters with these scales (others are removed). */
    public void setLoraAdapters(List<LoraAdapter> adapters, float[] scales) {
        if (adapters.size() != scales.length) {
            throw new IllegalArgumentException("one scale per adapter");
        }
        long[] ptrs = new long[adapters.size()];
        for (int i = 0; i < ptrs.length; i++) {
            LoraAdapter a = adapters.get(i);
            if (a.model() != model) {
                throw new IllegalArgumentException("adapter " + a.path() + " belongs to another model");
            }
            ptrs[i] = a.pointer();
            if (!Float.isFinite(scales[i])) {
                throw new IllegalArgumentException("LoRA scale must be finite");
            }
        }
        if (Natives.setLoraAdapters(pointer(), ptrs, scales.clone()) != 0) {
            throw new LlamaException("failed to apply LoRA adapters");
        }
    }

    /**
     * Applies a control vector: {@code data} holds {@code nEmbd} floats per layer starting at layer 1;
     * it acts on layers [layerStart, layerEnd]. A null {@code data} clears it.
     */
    public void setControlVector(float[] data, int layerStart, int layerEnd) {
        if (data != null && (data.length == 0 || data.length % nEmbd != 0)) {
            throw new IllegalArgumentException("control vector length must be a multiple of n_embd " + nEmbd);
        }
        if (data != null && (layerStart < 1 || layerEnd < layerStart)) {
            throw new IllegalArgumentException("control vector layer range must satisfy 1 <= start <= end");
        }
        if (Natives.setControlVector(pointer(), data, nEmbd, layerStart, layerEnd) != 0) {
            throw new LlamaException("failed to apply the control vector");
        }
    }

    public PerfData perf() {
        double[] d = Natives.perf(pointer());
        return new PerfData(d[0], d[1], d[2], d[3], (int) d[4], (int) d[5], (int) d[6]);
    }

    public void resetPerf() {
        Natives.perfReset(pointer());
    }

    /** The index and size of the last successfully decoded batch, for samplers. */
    int lastBatchSize() {
        return lastBatchSize;
    }

    void checkSampleIndex(int index) {
        checkOutputIndex(index);
    }

    @Override
    void free(long pointer) {
        Natives.contextFree(pointer);
    }
}
