package io.llamabox.engine;

/**
 * One of the {@code -np} slots: a KV-cache sequence (its id is the sequence id), the tokens that
 * sequence holds, and the task using it. Owned by the scheduler thread; {@link #snapshot} fields are
 * volatile copies for {@code /slots}.
 */
final class Slot {
    final int id;
    final int nCtx;
    /** Tokens in the KV cache of this sequence, in order: [0, nPast). */
    final int[] tokens;
    int nPast;

    Task task;
    int[] prompt;
    /** The running task's images; its prompt holds negative values at their positions. */
    LlamaMediaPrompt media;
    int promptPos;
    int cachedTokens;
    int pendingToken = -1;
    int batchIndex = -1;
    int generated;
    /** The draft tokens added after the pending token in the current batch. */
    int[] draft = new int[0];
    int draftCount;
    int drafted;
    int draftAccepted;
    Utf8Decoder decoder;
    StopStrings stops;
    TokenBucket bucket;
    long admittedNanos;
    long firstTokenNanos;
    long lastUsedNanos;
    /** The LoRA scales of the running task, and those the cached tokens were computed with. */
    float[] lora = new float[0];
    float[] cacheLora = new float[0];

    // for /slots, read by other threads
    volatile long snapshotTaskId = -1;
    volatile String snapshotRequestId;
    volatile int snapshotPromptTokens;
    volatile int snapshotDecoded;
    volatile int snapshotCached;

    Slot(int id, int nCtx) {
        this.id = id;
        this.nCtx = nCtx;
        this.tokens = new int[nCtx];
    }

    boolean busy() {
        return task != null;
    }

    boolean processingPrompt() {
        return task != null && promptPos < prompt.length;
    }

    boolean generating() {
        return task != null && pendingToken >= 0;
    }

    /** Whether the prompt reached an image and everything before it is in the cache. */
    boolean atImage() {
        return task != null && media != null && promptPos == nPast && promptPos < prompt.length && prompt[promptPos] < 0;
    }

    /** Length of the common prefix of the cached tokens and {@code p}. */
    int commonPrefix(int[] p) {
        int n = Math.min(nPast, p.length);
        int i = 0;
        while (i < n && tokens[i] == p[i]) {
            i++;
        }
        return i;
    }

    void publish() {
        Task t = task;
        snapshotTaskId = t == null ? -1 : t.id;
        snapshotRequestId = t == null ? null : t.request.requestId();
        snapshotPromptTokens = prompt == null ? 0 : prompt.length;
        snapshotDecoded = generated;
        snapshotCached = nPast;
    }

    void release(long now) {
        task = null;
        prompt = null;
        media = null;
        pendingToken = -1;
        batchIndex = -1;
        decoder = null;
        stops = null;
        bucket = null;
        lastUsedNanos = now;
        publish();
    }
}
