// Contexts, batches, KV-cache operations, state files, adapters and performance counters.
#include "handles.hpp"
#include "jni_support.hpp"

#include "io_llamabox_jni_Natives.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <new>
#include <vector>
#include <sys/mman.h>

using namespace llamabox;

namespace {

constexpr jint INVALID_BATCH = -100;

// The logits at a batch index with their softmax normaliser, or nullptr (and a Java exception).
struct softmax_view {
    const float *logits;
    float max_logit;
    double log_sum;
};

bool logits_softmax(JNIEnv *env, context_handle *c, jint index, softmax_view &out) {
    if (!c->has_output(index)) {
        throw_illegal_argument(env, "batch index " + std::to_string(index) + " has no logits");
        return false;
    }
    const float *l = llama_get_logits_ith(c->ctx, index);
    if (l == nullptr) {
        throw_llama(env, "no logits at batch index " + std::to_string(index));
        return false;
    }
    float max_l = l[0];
    for (int32_t i = 1; i < c->n_vocab; i++) max_l = std::max(max_l, l[i]);
    double sum = 0;
    for (int32_t i = 0; i < c->n_vocab; i++) sum += std::exp(static_cast<double>(l[i] - max_l));
    out = softmax_view{l, max_l, std::log(sum)};
    return true;
}

context_handle *H(jlong h) { return as<context_handle>(h); }

llama_memory_t mem(jlong h) { return llama_get_memory(H(h)->ctx); }

bool seq_ok(context_handle *c, jint seq) { return seq >= 0 && seq < c->n_seq_max; }

jint run_batch(JNIEnv *env, jlong ctx, jlong batch, jint n, bool encoder) {
    context_handle *c = H(ctx);
    batch_handle *b = as<batch_handle>(batch);
    c->last_n = 0;
    if (n < 1 || n > b->capacity || static_cast<uint32_t>(n) > llama_n_batch(c->ctx)) {
        return INVALID_BATCH;
    }
    for (jint i = 0; i < n; i++) {
        if (b->tokens[i] < 0 || b->tokens[i] >= c->n_vocab || b->seq_ids[i] < 0 || b->seq_ids[i] >= c->n_seq_max ||
            b->positions[i] < 0) {
            return INVALID_BATCH;
        }
    }
    llama_batch lb{};
    lb.n_tokens = n;
    lb.token = b->tokens;
    lb.embd = nullptr;
    lb.pos = b->positions;
    lb.n_seq_id = b->n_seq_id.data();
    lb.seq_id = b->seq_ptrs.data();
    lb.logits = b->outputs;
    int32_t rc = encoder ? llama_encode(c->ctx, lb) : llama_decode(c->ctx, lb);
    if (rc == 0) {
        c->last_n = n;
        c->last_outputs.assign(b->outputs, b->outputs + n);
    }
    return rc;
}

} // namespace

JNIEXPORT jlong JNICALL Java_io_llamabox_jni_Natives_contextNew(
    JNIEnv *env, jclass, jlong model, jint n_ctx, jint n_batch, jint n_ubatch, jint n_seq_max, jint n_threads,
    jint n_threads_batch, jint flash_attn, jint type_k, jint type_v, jboolean embeddings, jint pooling, jint attention,
    jboolean offload_kqv, jint rope_scaling, jfloat rope_freq_base, jfloat rope_freq_scale, jfloat yarn_ext_factor,
    jfloat yarn_attn_factor, jfloat yarn_beta_fast, jfloat yarn_beta_slow, jint yarn_orig_ctx, jboolean kv_unified,
    jboolean swa_full, jboolean no_perf) {
    LLAMABOX_GUARD_BEGIN
    if (n_ctx < 0 || n_batch < 1 || n_ubatch < 1 || n_seq_max < 1 || n_threads < 1 || n_threads_batch < 1 ||
        static_cast<size_t>(n_seq_max) > llama_max_parallel_sequences()) {
        throw_illegal_argument(env, "bad context parameters");
        return 0;
    }
    llama_context_params p = llama_context_default_params();
    p.n_ctx = static_cast<uint32_t>(n_ctx);
    p.n_batch = static_cast<uint32_t>(n_batch);
    p.n_ubatch = static_cast<uint32_t>(n_ubatch);
    p.n_seq_max = static_cast<uint32_t>(n_seq_max);
    p.n_threads = n_threads;
    p.n_threads_batch = n_threads_batch;
    p.flash_attn_type = static_cast<llama_flash_attn_type>(flash_attn);
    p.type_k = static_cast<ggml_type>(type_k);
    p.type_v = static_cast<ggml_type>(type_v);
    p.embeddings = embeddings;
    p.pooling_type = static_cast<enum llama_pooling_type>(pooling);
    p.attention_type = static_cast<llama_attention_type>(attention);
    p.offload_kqv = offload_kqv;
    p.rope_scaling_type = static_cast<llama_rope_scaling_type>(rope_scaling);
    if (rope_freq_base > 0) p.rope_freq_base = rope_freq_base;
    if (rope_freq_scale > 0) p.rope_freq_scale = rope_freq_scale;
    if (yarn_ext_factor >= 0) p.yarn_ext_factor = yarn_ext_factor;
    if (yarn_attn_factor >= 0) p.yarn_attn_factor = yarn_attn_factor;
    if (yarn_beta_fast >= 0) p.yarn_beta_fast = yarn_beta_fast;
    if (yarn_beta_slow >= 0) p.yarn_beta_slow = yarn_beta_slow;
    if (yarn_orig_ctx > 0) p.yarn_orig_ctx = static_cast<uint32_t>(yarn_orig_ctx);
    p.kv_unified = kv_unified;
    p.swa_full = swa_full;
    p.no_perf = no_perf;
    llama_model *m = as<llama_model>(model);
    llama_context *ctx = llama_init_from_model(m, p);
    if (ctx == nullptr) {
        return 0;
    }
    auto *c = new context_handle();
    c->ctx = ctx;
    c->model = m;
    c->vocab = llama_model_get_vocab(m);
    c->n_vocab = llama_vocab_n_tokens(c->vocab);
    c->n_seq_max = static_cast<int32_t>(llama_n_seq_max(ctx));
    c->split_streams = !kv_unified && c->n_seq_max > 1;
    return to_handle(c);
    LLAMABOX_GUARD_END(env, 0)
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_contextFree(JNIEnv *, jclass, jlong ctx) {
    context_handle *c = H(ctx);
    llama_free(c->ctx);
    delete c;
}

JNIEXPORT jintArray JNICALL Java_io_llamabox_jni_Natives_contextInts(JNIEnv *env, jclass, jlong ctx) {
    llama_context *c = H(ctx)->ctx;
    int32_t v[] = {static_cast<int32_t>(llama_n_ctx(c)), static_cast<int32_t>(llama_n_ctx_seq(c)),
                   static_cast<int32_t>(llama_n_batch(c)), static_cast<int32_t>(llama_n_ubatch(c)),
                   static_cast<int32_t>(llama_n_seq_max(c)), static_cast<int32_t>(llama_pooling_type(c))};
    return to_int_array(env, v, 6);
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_contextSetThreads(JNIEnv *, jclass, jlong ctx, jint t, jint tb) {
    llama_set_n_threads(H(ctx)->ctx, t, tb);
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_contextSetEmbeddings(JNIEnv *, jclass, jlong ctx, jboolean on) {
    llama_set_embeddings(H(ctx)->ctx, on);
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_contextSetCausalAttention(JNIEnv *, jclass, jlong ctx, jboolean on) {
    llama_set_causal_attn(H(ctx)->ctx, on);
}

JNIEXPORT jint JNICALL Java_io_llamabox_jni_Natives_decode(JNIEnv *env, jclass, jlong ctx, jlong batch, jint n) {
    LLAMABOX_GUARD_BEGIN
    return run_batch(env, ctx, batch, n, false);
    LLAMABOX_GUARD_END(env, -1)
}

JNIEXPORT jint JNICALL Java_io_llamabox_jni_Natives_encode(JNIEnv *env, jclass, jlong ctx, jlong batch, jint n) {
    LLAMABOX_GUARD_BEGIN
    return run_batch(env, ctx, batch, n, true);
    LLAMABOX_GUARD_END(env, -1)
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_logits(JNIEnv *env, jclass, jlong ctx, jint index, jfloatArray out) {
    context_handle *c = H(ctx);
    if (!c->has_output(index)) {
        throw_illegal_argument(env, "batch index " + std::to_string(index) + " has no logits");
        return;
    }
    if (env->GetArrayLength(out) < c->n_vocab) {
        throw_illegal_argument(env, "output array too small");
        return;
    }
    const float *l = llama_get_logits_ith(c->ctx, index);
    if (l == nullptr) {
        throw_llama(env, "no logits at batch index " + std::to_string(index));
        return;
    }
    env->SetFloatArrayRegion(out, 0, c->n_vocab, l);
}

JNIEXPORT jboolean JNICALL Java_io_llamabox_jni_Natives_embeddingsIth(JNIEnv *env, jclass, jlong ctx, jint index, jfloatArray out) {
    context_handle *c = H(ctx);
    if (!c->has_output(index)) {
        throw_illegal_argument(env, "batch index " + std::to_string(index) + " has no output");
        return JNI_FALSE;
    }
    const float *e = llama_get_embeddings_ith(c->ctx, index);
    if (e == nullptr) {
        return JNI_FALSE;
    }
    jsize n = std::min<jsize>(env->GetArrayLength(out), llama_model_n_embd_out(c->model) > 0 ? llama_model_n_embd_out(c->model) : llama_model_n_embd(c->model));
    env->SetFloatArrayRegion(out, 0, n, e);
    return JNI_TRUE;
}

JNIEXPORT jboolean JNICALL Java_io_llamabox_jni_Natives_embeddingsSeq(JNIEnv *env, jclass, jlong ctx, jint seq, jfloatArray out) {
    context_handle *c = H(ctx);
    if (!seq_ok(c, seq)) {
        throw_illegal_argument(env, "sequence id out of range: " + std::to_string(seq));
        return JNI_FALSE;
    }
    if (c->last_n == 0) {
        return JNI_FALSE;
    }
    const float *e = llama_get_embeddings_seq(c->ctx, seq);
    if (e == nullptr) {
        return JNI_FALSE;
    }
    env->SetFloatArrayRegion(out, 0, env->GetArrayLength(out), e);
    return JNI_TRUE;
}

JNIEXPORT jint JNICALL Java_io_llamabox_jni_Natives_topProbabilities(JNIEnv *env, jclass, jlong ctx, jint index, jint n,
                                                                   jintArray tokens, jfloatArray probs, jfloatArray logprobs) {
    LLAMABOX_GUARD_BEGIN
    context_handle *c = H(ctx);
    n = std::min(n, c->n_vocab);
    if (n < 1 || env->GetArrayLength(tokens) < n || env->GetArrayLength(probs) < n || env->GetArrayLength(logprobs) < n) {
        throw_illegal_argument(env, "bad candidate count");
        return 0;
    }
    softmax_view v{};
    if (!logits_softmax(env, c, index, v)) {
        return 0;
    }
    const float *l = v.logits;
    const float max_l = v.max_logit;
    const double log_sum = v.log_sum;
    auto &s = c->scratch;
    s.resize(static_cast<size_t>(c->n_vocab));
    for (int32_t i = 0; i < c->n_vocab; i++) s[static_cast<size_t>(i)] = {l[i], i};
    std::partial_sort(s.begin(), s.begin() + n, s.end(),
                      [](const auto &a, const auto &b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
    std::vector<jint> t(static_cast<size_t>(n));
    std::vector<jfloat> p(static_cast<size_t>(n)), lp(static_cast<size_t>(n));
    for (jint i = 0; i < n; i++) {
        double logp = static_cast<double>(s[static_cast<size_t>(i)].first - max_l) - log_sum;
        t[static_cast<size_t>(i)] = s[static_cast<size_t>(i)].second;
        lp[static_cast<size_t>(i)] = static_cast<float>(logp);
        p[static_cast<size_t>(i)] = static_cast<float>(std::exp(logp));
    }
    env->SetIntArrayRegion(tokens, 0, n, t.data());
    env->SetFloatArrayRegion(probs, 0, n, p.data());
    env->SetFloatArrayRegion(logprobs, 0, n, lp.data());
    return n;
    LLAMABOX_GUARD_END(env, 0)
}

JNIEXPORT jfloat JNICALL Java_io_llamabox_jni_Natives_tokenProbability(JNIEnv *env, jclass, jlong ctx, jint index, jint token) {
    context_handle *c = H(ctx);
    if (token < 0 || token >= c->n_vocab) {
        throw_illegal_argument(env, "token id out of range: " + std::to_string(token));
        return 0;
    }
    softmax_view v{};
    if (!logits_softmax(env, c, index, v)) {
        return 0;
    }
    return static_cast<jfloat>(std::exp(static_cast<double>(v.logits[token] - v.max_logit) - v.log_sum));
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_memoryClear(JNIEnv *, jclass, jlong ctx, jboolean data) {
    llama_memory_clear(mem(ctx), data);
    H(ctx)->last_n = 0;
}

JNIEXPORT jboolean JNICALL Java_io_llamabox_jni_Natives_memorySeqRm(JNIEnv *env, jclass, jlong ctx, jint seq, jint p0, jint p1) {
    if (seq != -1 && !seq_ok(H(ctx), seq)) {
        throw_illegal_argument(env, "sequence id out of range");
        return JNI_FALSE;
    }
    return llama_memory_seq_rm(mem(ctx), seq, p0, p1);
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_memorySeqCp(JNIEnv *env, jclass, jlong ctx, jint src, jint dst, jint p0, jint p1) {
    if (!seq_ok(H(ctx), src) || !seq_ok(H(ctx), dst)) {
        throw_illegal_argument(env, "sequence id out of range");
        return;
    }
    // llama.cpp asserts (aborting the process) on a partial copy between two KV streams
    if (H(ctx)->split_streams && src != dst && (p0 > 0 || p1 >= 0)) {
        throw_illegal_argument(env, "sequences in separate KV streams can only be copied whole (p0 <= 0, p1 < 0)");
        return;
    }
    llama_memory_seq_cp(mem(ctx), src, dst, p0, p1);
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_memorySeqKeep(JNIEnv *env, jclass, jlong ctx, jint seq) {
    if (!seq_ok(H(ctx), seq)) {
        throw_illegal_argument(env, "sequence id out of range");
        return;
    }
    llama_memory_seq_keep(mem(ctx), seq);
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_memorySeqAdd(JNIEnv *env, jclass, jlong ctx, jint seq, jint p0, jint p1, jint delta) {
    if (!seq_ok(H(ctx), seq)) {
        throw_illegal_argument(env, "sequence id out of range");
        return;
    }
    llama_memory_seq_add(mem(ctx), seq, p0, p1, delta);
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_memorySeqDiv(JNIEnv *env, jclass, jlong ctx, jint seq, jint p0, jint p1, jint d) {
    if (!seq_ok(H(ctx), seq) || d < 1) {
        throw_illegal_argument(env, "sequence id or divisor out of range");
        return;
    }
    llama_memory_seq_div(mem(ctx), seq, p0, p1, d);
}

JNIEXPORT jint JNICALL Java_io_llamabox_jni_Natives_memorySeqPosMin(JNIEnv *env, jclass, jlong ctx, jint seq) {
    if (!seq_ok(H(ctx), seq)) {
        throw_illegal_argument(env, "sequence id out of range");
        return -1;
    }
    return llama_memory_seq_pos_min(mem(ctx), seq);
}

JNIEXPORT jint JNICALL Java_io_llamabox_jni_Natives_memorySeqPosMax(JNIEnv *env, jclass, jlong ctx, jint seq) {
    if (!seq_ok(H(ctx), seq)) {
        throw_illegal_argument(env, "sequence id out of range");
        return -1;
    }
    return llama_memory_seq_pos_max(mem(ctx), seq);
}

JNIEXPORT jboolean JNICALL Java_io_llamabox_jni_Natives_memoryCanShift(JNIEnv *, jclass, jlong ctx) {
    return llama_memory_can_shift(mem(ctx));
}

JNIEXPORT jlong JNICALL Java_io_llamabox_jni_Natives_stateSeqSaveFile(JNIEnv *env, jclass, jlong ctx, jbyteArray path, jint seq, jintArray tokens) {
    LLAMABOX_GUARD_BEGIN
    context_handle *c = H(ctx);
    if (!seq_ok(c, seq)) {
        throw_illegal_argument(env, "sequence id out of range");
        return 0;
    }
    std::string p = bytes_to_string(env, path);
    jsize n = env->GetArrayLength(tokens);
    std::vector<llama_token> t(static_cast<size_t>(n));
    env->GetIntArrayRegion(tokens, 0, n, t.data());
    return static_cast<jlong>(llama_state_seq_save_file(c->ctx, p.c_str(), seq, t.data(), t.size()));
    LLAMABOX_GUARD_END(env, 0)
}

JNIEXPORT jlong JNICALL Java_io_llamabox_jni_Natives_stateSeqSize(JNIEnv *env, jclass, jlong ctx, jint seq) {
    if (!seq_ok(H(ctx), seq)) {
        throw_illegal_argument(env, "sequence id out of range");
        return 0;
    }
    return static_cast<jlong>(llama_state_seq_get_size(H(ctx)->ctx, seq));
}

namespace {
// A sequence's KV state held in native memory (prompt memory, --cache-ram), in its own mapping with
// huge pages where the kernel allows them, populated at once: faulting a fresh 12 MB buffer in 4 KiB
// page by page took 36-41 ms here, this way 5-9 ms.
struct snapshot_handle {
    uint8_t *data = nullptr;
    size_t capacity = 0;
    size_t size = 0;

    explicit snapshot_handle(size_t n) : capacity(n) {
        if (n == 0) {
            return;
        }
        void *p = mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            throw std::bad_alloc();
        }
        madvise(p, n, MADV_HUGEPAGE); // fewer, larger pages where the kernel allows; a hint only
        madvise(p, n, MADV_POPULATE_WRITE);
        data = static_cast<uint8_t *>(p);
    }

    ~snapshot_handle() {
        if (data != nullptr) {
            munmap(data, capacity);
        }
    }

    snapshot_handle(const snapshot_handle &) = delete;
    snapshot_handle &operator=(const snapshot_handle &) = delete;
};
}

JNIEXPORT jlong JNICALL Java_io_llamabox_jni_Natives_stateSeqSnapshot(JNIEnv *env, jclass, jlong ctx, jint seq) {
    LLAMABOX_GUARD_BEGIN
    if (!seq_ok(H(ctx), seq)) {
        throw_illegal_argument(env, "sequence id out of range");
        return 0;
    }
    size_t size = llama_state_seq_get_size(H(ctx)->ctx, seq);
    auto *h = new snapshot_handle(size);
    size_t n = size == 0 ? 0 : llama_state_seq_get_data(H(ctx)->ctx, h->data, size, seq);
    if (n == 0) {
        delete h;
        throw_llama(env, "could not copy the state of sequence " + std::to_string(seq));
        return 0;
    }
    h->size = n;
    return to_handle(h);
    LLAMABOX_GUARD_END(env, 0)
}

JNIEXPORT jlong JNICALL Java_io_llamabox_jni_Natives_snapshotSize(JNIEnv *, jclass, jlong snapshot) {
    return static_cast<jlong>(as<snapshot_handle>(snapshot)->size);
}

JNIEXPORT jboolean JNICALL Java_io_llamabox_jni_Natives_stateSeqRestore(JNIEnv *env, jclass, jlong ctx, jlong snapshot, jint seq) {
    LLAMABOX_GUARD_BEGIN
    if (!seq_ok(H(ctx), seq)) {
        throw_illegal_argument(env, "sequence id out of range");
        return JNI_FALSE;
    }
    auto *h = as<snapshot_handle>(snapshot);
    return llama_state_seq_set_data(H(ctx)->ctx, h->data, h->size, seq) != 0;
    LLAMABOX_GUARD_END(env, JNI_FALSE)
}

// A state file read whole into native memory, so that Java checks exactly the bytes llama.cpp is given
// (llama_state_seq_load_file aborts the process on a truncated file; the in-memory reader reports it).
JNIEXPORT jlong JNICALL Java_io_llamabox_jni_Natives_stateFileRead(JNIEnv *env, jclass, jbyteArray path, jlong size) {
    LLAMABOX_GUARD_BEGIN
    std::string p = bytes_to_string(env, path);
    if (size <= 0) {
        throw_illegal_argument(env, "a state file has at least a header");
        return 0;
    }
    FILE *f = std::fopen(p.c_str(), "rb");
    if (f == nullptr) {
        throw_llama(env, "cannot open " + p);
        return 0;
    }
    auto *h = new snapshot_handle(static_cast<size_t>(size));
    size_t n = std::fread(h->data, 1, static_cast<size_t>(size), f);
    bool longer = n == static_cast<size_t>(size) && std::fgetc(f) != EOF;
    std::fclose(f);
    if (n != static_cast<size_t>(size) || longer) {
        delete h;
        throw_llama(env, "the file changed while it was read");
        return 0;
    }
    h->size = n;
    return to_handle(h);
    LLAMABOX_GUARD_END(env, 0)
}

JNIEXPORT jobject JNICALL Java_io_llamabox_jni_Natives_snapshotView(JNIEnv *env, jclass, jlong snapshot, jlong offset, jint length) {
    auto *h = as<snapshot_handle>(snapshot);
    if (offset < 0 || length < 0 || static_cast<size_t>(offset) + static_cast<size_t>(length) > h->size) {
        throw_illegal_argument(env, "view outside the buffer");
        return nullptr;
    }
    return env->NewDirectByteBuffer(h->data + offset, length);
}

// The in-memory state starts with a header (magic and sequence id, 8 bytes in this llama.cpp) that the
// state file lacks: it is taken from this context's own state of the (emptied) sequence and written over
// the 8 bytes before the file's cache, the end of its already checked token list.
JNIEXPORT jlong JNICALL Java_io_llamabox_jni_Natives_stateSeqSetDataAt(JNIEnv *env, jclass, jlong ctx, jlong snapshot, jlong offset, jlong length, jint seq) {
    LLAMABOX_GUARD_BEGIN
    constexpr size_t PREFIX = 8;
    context_handle *c = H(ctx);
    auto *h = as<snapshot_handle>(snapshot);
    if (!seq_ok(c, seq) || offset < static_cast<jlong>(PREFIX) || length <= 0 ||
        static_cast<size_t>(offset) + static_cast<size_t>(length) > h->size) {
        throw_illegal_argument(env, "sequence id or state range out of range");
        return 0;
    }
    std::vector<uint8_t> own(llama_state_seq_get_size(c->ctx, seq));
    if (own.size() < PREFIX || llama_state_seq_get_data(c->ctx, own.data(), own.size(), seq) < PREFIX) {
        throw_llama(env, "cannot read the state header of sequence " + std::to_string(seq));
        return 0;
    }
    uint8_t *start = h->data + offset - PREFIX;
    std::memcpy(start, own.data(), PREFIX);
    c->last_n = 0;
    size_t n = llama_state_seq_set_data(c->ctx, start, static_cast<size_t>(length) + PREFIX, seq);
    return n < PREFIX ? 0 : static_cast<jlong>(n - PREFIX);
    LLAMABOX_GUARD_END(env, 0)
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_snapshotFree(JNIEnv *, jclass, jlong snapshot) {
    delete as<snapshot_handle>(snapshot);
}

JNIEXPORT jint JNICALL Java_io_llamabox_jni_Natives_setLoraAdapters(JNIEnv *env, jclass, jlong ctx, jlongArray adapters, jfloatArray scales) {
    LLAMABOX_GUARD_BEGIN
    jsize n = env->GetArrayLength(adapters);
    if (env->GetArrayLength(scales) != n) {
        throw_illegal_argument(env, "one scale per adapter");
        return -1;
    }
    std::vector<jlong> ptrs(static_cast<size_t>(n));
    std::vector<float> s(static_cast<size_t>(n));
    env->GetLongArrayRegion(adapters, 0, n, ptrs.data());
    env->GetFloatArrayRegion(scales, 0, n, s.data());
    std::vector<llama_adapter_lora *> a;
    for (jlong p : ptrs) a.push_back(as<llama_adapter_lora>(p));
    return llama_set_adapters_lora(H(ctx)->ctx, a.data(), a.size(), s.data());
    LLAMABOX_GUARD_END(env, -1)
}

JNIEXPORT jint JNICALL Java_io_llamabox_jni_Natives_setControlVector(JNIEnv *env, jclass, jlong ctx, jfloatArray data, jint n_embd, jint il_start, jint il_end) {
    LLAMABOX_GUARD_BEGIN
    context_handle *c = H(ctx);
    if (data == nullptr) {
        return llama_set_adapter_cvec(c->ctx, nullptr, 0, n_embd, il_start, il_end);
    }
    jsize n = env->GetArrayLength(data);
    if (n_embd != llama_model_n_embd(c->model) || n % n_embd != 0) {
        throw_illegal_argument(env, "control vector length must be a multiple of n_embd");
        return -1;
    }
    std::vector<float> d(static_cast<size_t>(n));
    env->GetFloatArrayRegion(data, 0, n, d.data());
    return llama_set_adapter_cvec(c->ctx, d.data(), d.size(), n_embd, il_start, il_end);
    LLAMABOX_GUARD_END(env, -1)
}

JNIEXPORT jdoubleArray JNICALL Java_io_llamabox_jni_Natives_perf(JNIEnv *env, jclass, jlong ctx) {
    // timings are taken when the context synchronises with the backend
    llama_synchronize(H(ctx)->ctx);
    llama_perf_context_data d = llama_perf_context(H(ctx)->ctx);
    jdouble v[] = {d.t_start_ms, d.t_load_ms, d.t_p_eval_ms, d.t_eval_ms, static_cast<double>(d.n_p_eval),
                   static_cast<double>(d.n_eval), static_cast<double>(d.n_reused)};
    jdoubleArray out = env->NewDoubleArray(7);
    if (out != nullptr) env->SetDoubleArrayRegion(out, 0, 7, v);
    return out;
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_perfReset(JNIEnv *, jclass, jlong ctx) {
    llama_perf_context_reset(H(ctx)->ctx);
}

JNIEXPORT jlong JNICALL Java_io_llamabox_jni_Natives_batchNew(JNIEnv *env, jclass, jint capacity, jobject tokens,
                                                            jobject positions, jobject seq_ids, jobject outputs) {
    LLAMABOX_GUARD_BEGIN
    if (capacity < 1) {
        throw_illegal_argument(env, "batch capacity must be at least 1");
        return 0;
    }
    auto need = static_cast<jlong>(capacity) * 4;
    if (env->GetDirectBufferCapacity(tokens) < need || env->GetDirectBufferCapacity(positions) < need ||
        env->GetDirectBufferCapacity(seq_ids) < need || env->GetDirectBufferCapacity(outputs) < capacity) {
        throw_illegal_argument(env, "batch buffers must be direct and large enough");
        return 0;
    }
    auto *b = new batch_handle();
    b->capacity = capacity;
    b->tokens = static_cast<llama_token *>(env->GetDirectBufferAddress(tokens));
    b->positions = static_cast<llama_pos *>(env->GetDirectBufferAddress(positions));
    b->seq_ids = static_cast<llama_seq_id *>(env->GetDirectBufferAddress(seq_ids));
    b->outputs = static_cast<int8_t *>(env->GetDirectBufferAddress(outputs));
    b->n_seq_id.assign(static_cast<size_t>(capacity), 1);
    b->seq_ptrs.resize(static_cast<size_t>(capacity));
    for (jint i = 0; i < capacity; i++) b->seq_ptrs[static_cast<size_t>(i)] = b->seq_ids + i;
    return to_handle(b);
    LLAMABOX_GUARD_END(env, 0)
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_batchFree(JNIEnv *, jclass, jlong batch) {
    delete as<batch_handle>(batch);
}
