package io.llamabox.jni;

import java.nio.ByteBuffer;

/**
 * Every native entry of {@code libllamabox}. Arguments are checked again on the native side, but the
 * public handle classes validate first so that errors carry Java context. Text crosses as UTF-8 byte
 * arrays because llama.cpp pieces are not always complete UTF-8 sequences.
 */
final class Natives {
    private Natives() {
    }

    // process
    static native void backendInit();

    static native void numaInit(int strategy);

    /** Returns null, or what could not be applied. */
    static native byte[] placeThread(long[] cpus, int nice);
    static native byte[] version();
    static native byte[] systemInfo();
    static native boolean supportsGpuOffload();
    static native boolean supportsMmap();
    static native boolean supportsMlock();
    static native int maxDevices();
    static native int maxParallelSequences();
    static native void setLogLevel(int minimumLevel);

    // ggml backends and devices
    static native boolean loadBackend(byte[] path);
    static native void loadBackendsFrom(byte[] directory);
    static native void loadDefaultBackends();
    static native boolean backendRegistered(byte[] name);
    /** The path of the shared object that holds the named backend's registry, or null. */
    static native byte[] backendLibrary(byte[] name);
    static native int deviceCount();
    /** The distinct names of the devices' default buffer types, in device order (UTF-8). */
    static native byte[][] bufferTypes();
    /** Fills {@code memory[0]=free, memory[1]=total, memory[2]=type}; returns name, description and backend as UTF-8. */
    static native byte[][] deviceInfo(int index, long[] memory);
    static native int addRpcServer(byte[] endpoint);
    /** {major, minor, patch} of the ggml RPC protocol the library was built for. */
    static native int[] rpcProtocolVersion();
    static native void rpcServe(byte[] endpoint, byte[] cacheDir, int threads, int[] devices);

    // model
    static native long modelLoad(byte[] path, int nGpuLayers, int splitMode, int mainGpu, float[] tensorSplit,
                                 int[] devices, boolean useMmap, boolean useMlock, boolean checkTensors,
                                 boolean vocabOnly, byte[][] kvKeys, int[] kvTypes, long[] kvInts,
                                 double[] kvFloats, byte[][] kvStrings, byte[][] overridePatterns,
                                 byte[][] overrideBufferTypes, boolean useExtraBufts, LoadProgress progress);
    static native void modelFree(long model);
    static native byte[][] modelMetadata(long model);
    /** Returns n_ctx_train, n_embd, n_layer, n_head, n_head_kv, n_vocab, n_cls_out, has_encoder, has_decoder, decoder_start, rope_type, n_swa, is_recurrent, vocab_type, is_hybrid. */
    static native int[] modelInts(long model);
    static native long modelSize(long model);
    static native long modelParamCount(long model);
    static native byte[] modelDescription(long model);
    static native byte[] modelChatTemplate(long model, byte[] name);

    // vocabulary
    /** Returns bos, eos, eot, sep, nl, pad, fim_pre, fim_suf, fim_mid, fim_pad, fim_rep, fim_sep, add_bos, add_eos, add_sep. */
    static native int[] vocabSpecials(long model);
    static native int vocabAttributes(long model, int token);
    static native boolean vocabIsEog(long model, int token);
    static native byte[] vocabText(long model, int token);
    static native float vocabScore(long model, int token);
    static native int[] tokenize(long model, byte[] text, boolean addSpecial, boolean parseSpecial);
    static native byte[] tokenToPiece(long model, int token, boolean special);
    static native byte[] detokenize(long model, int[] tokens, boolean removeSpecial, boolean unparseSpecial);

    // context
    static native long contextNew(long model, int nCtx, int nBatch, int nUbatch, int nSeqMax, int nThreads,
                                  int nThreadsBatch, int flashAttn, int typeK, int typeV, boolean embeddings,
                                  int pooling, int attention, boolean offloadKqv, int ropeScaling,
                                  float ropeFreqBase, float ropeFreqScale, float yarnExtFactor, float yarnAttnFactor,
                                  float yarnBetaFast, float yarnBetaSlow, int yarnOrigCtx, boolean kvUnified,
                                  boolean swaFull, boolean noPerf);
    static native void contextFree(long ctx);
    /** Returns n_ctx, n_ctx_seq, n_batch, n_ubatch, n_seq_max, pooling type. */
    static native int[] contextInts(long ctx);
    static native void contextSetThreads(long ctx, int nThreads, int nThreadsBatch);
    static native void contextSetEmbeddings(long ctx, boolean embeddings);
    static native void contextSetCausalAttention(long ctx, boolean causal);
    static native int decode(long ctx, long batch, int nTokens);
    static native int encode(long ctx, long batch, int nTokens);
    static native void logits(long ctx, int index, float[] out);
    static native boolean embeddingsIth(long ctx, int index, float[] out);
    static native boolean embeddingsSeq(long ctx, int seq, float[] out);
    /** Top {@code n} tokens by probability at a batch index; returns the count written. */
    static native int topProbabilities(long ctx, int index, int n, int[] tokens, float[] probs, float[] logprobs);
    static native float tokenProbability(long ctx, int index, int token);
    static native void memoryClear(long ctx, boolean data);
    static native boolean memorySeqRm(long ctx, int seq, int p0, int p1);
    static native void memorySeqCp(long ctx, int src, int dst, int p0, int p1);
    static native void memorySeqKeep(long ctx, int seq);
    static native void memorySeqAdd(long ctx, int seq, int p0, int p1, int delta);
    static native void memorySeqDiv(long ctx, int seq, int p0, int p1, int d);
    static native int memorySeqPosMin(long ctx, int seq);
    static native int memorySeqPosMax(long ctx, int seq);
    static native boolean memoryCanShift(long ctx);
    static native long stateSeqSaveFile(long ctx, byte[] path, int seq, int[] tokens);
    static native long stateSeqSize(long ctx, int seq);

    static native long stateSeqSnapshot(long ctx, int seq);

    static native long snapshotSize(long snapshot);

    static native boolean stateSeqRestore(long ctx, long snapshot, int seq);

    static native void snapshotFree(long snapshot);

    /** Reads a file of exactly {@code size} bytes into native memory (a snapshot handle). */
    static native long stateFileRead(byte[] path, long size);

    static native java.nio.ByteBuffer snapshotView(long snapshot, long offset, int length);

    /**
     * llama_state_seq_set_data over a range of a state file read with {@link #stateFileRead} (the 8 bytes
     * before it are overwritten with the in-memory header): the bytes of the range read, 0 when refused.
     */
    static native long stateSeqSetDataAt(long ctx, long snapshot, long offset, long length, int seq);
    static native int setLoraAdapters(long ctx, long[] adapters, float[] scales);
    static native int setControlVector(long ctx, float[] data, int nEmbd, int layerStart, int layerEnd);
    /** Returns t_start_ms, t_load_ms, t_p_eval_ms, t_eval_ms, n_p_eval, n_eval, n_reused. */
    static native double[] perf(long ctx);
    static native void perfReset(long ctx);

    // batch: the four buffers are owned by Java and stay referenced by the Batch object
    static native long batchNew(int capacity, ByteBuffer tokens, ByteBuffer positions, ByteBuffer seqIds, ByteBuffer outputs);
    static native void batchFree(long batch);

    // samplers
    static native long samplerChain(long model, int seed, int[] order, float temperature, float dynatempRange,
                                    float dynatempExponent, int topK, float topP, float minP, float typicalP,
                                    float xtcProbability, float xtcThreshold, float topNSigma, int penaltyLastN,
                                    float repeatPenalty, float frequencyPenalty, float presencePenalty,
                                    float dryMultiplier, float dryBase, int dryAllowedLength, int dryPenaltyLastN,
                                    byte[][] drySequenceBreakers, int mirostat, float mirostatTau, float mirostatEta,
                                    int[] biasTokens, float[] biasValues, byte[] grammar, byte[] grammarRoot,
                                    boolean grammarLazy, byte[][] triggerPatterns, int[] triggerTokens, int minKeep);
    static native void samplerFree(long sampler);
    static native int samplerSample(long sampler, long ctx, int index);
    static native void samplerAccept(long sampler, int token);
    static native void samplerReset(long sampler);
    static native long samplerClone(long sampler);
    static native boolean grammarValid(long model, byte[] grammar, byte[] root);

    // LoRA
    static native long loraLoad(long model, byte[] path);
    static native void loraFree(long adapter);
    static native byte[][] loraMetadata(long adapter);

    // multimodal
    /** {@code marker} replaces libmtmd's default media marker when not null. */
    static native long mtmdInit(byte[] projector, long model, boolean useGpu, int nThreads, int flashAttn, boolean warmup,
                                byte[] marker);
    static native void mtmdFree(long mtmd);
    /** Returns supports_vision, supports_audio, uses_non_causal (for images), uses_mrope. */
    static native boolean[] mtmdCaps(long mtmd);
    static native byte[] mtmdMarker(long mtmd);
    static native long bitmapNew(int width, int height, byte[] rgb, byte[] id);
    static native void bitmapFree(long bitmap);
    static native long mtmdTokenize(long mtmd, byte[] text, boolean addSpecial, boolean parseSpecial, long[] bitmaps);
    static native void chunksFree(long chunks);
    static native int chunksCount(long chunks);
    /** Returns type, n_tokens, n_pos for chunk {@code i}. */
    static native int[] chunkInfo(long chunks, int i);
    static native int[] chunkTextTokens(long chunks, int i);
    static native byte[] chunkId(long chunks, int i);
    /**
     * The RGB pixels of a WebP image's first frame, or null when it cannot be decoded or has more than
     * {@code maxPixels} pixels; {@code size} receives width and height whenever the header was read.
     */
    static native byte[] webpDecodeRgb(byte[] data, int[] size, long maxPixels);
    static native int mtmdEvalChunk(long mtmd, long ctx, long chunks, int i, int nPast, int seq, int nBatch,
                                    boolean logitsLast, int[] newNPast);
}
