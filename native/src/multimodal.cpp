// libmtmd: projectors, bitmaps, multimodal tokenization and chunk evaluation.
#include "handles.hpp"
#include "jni_support.hpp"

#include "io_llamabox_jni_Natives.h"
#include "mtmd.h"
#include "mtmd-helper.h"

using namespace llamabox;

JNIEXPORT jlong JNICALL Java_io_llamabox_jni_Natives_mtmdInit(JNIEnv *env, jclass, jbyteArray projector, jlong model,
                                                            jboolean use_gpu, jint n_threads, jint flash_attn, jboolean warmup,
                                                            jbyteArray marker) {
    LLAMABOX_GUARD_BEGIN
    std::string path = bytes_to_string(env, projector);
    std::string media_marker = bytes_to_string(env, marker);
    mtmd_context_params p = mtmd_context_params_default();
    if (!media_marker.empty()) {
        p.media_marker = media_marker.c_str(); // copied by mtmd_init_from_file
    }
    p.use_gpu = use_gpu;
    p.n_threads = n_threads;
    p.print_timings = false;
    p.flash_attn_type = static_cast<llama_flash_attn_type>(flash_attn);
    p.warmup = warmup;
    return to_handle(mtmd_init_from_file(path.c_str(), as<llama_model>(model), p));
    LLAMABOX_GUARD_END(env, 0)
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_mtmdFree(JNIEnv *, jclass, jlong ctx) {
    mtmd_free(as<mtmd_context>(ctx));
}

JNIEXPORT jbooleanArray JNICALL Java_io_llamabox_jni_Natives_mtmdCaps(JNIEnv *env, jclass, jlong ctx) {
    auto *m = as<mtmd_context>(ctx);
    jboolean caps[] = {mtmd_support_vision(m), mtmd_support_audio(m), JNI_FALSE, mtmd_decode_use_mrope(m)};
    jbooleanArray out = env->NewBooleanArray(4);
    if (out != nullptr) env->SetBooleanArrayRegion(out, 0, 4, caps);
    return out;
}

JNIEXPORT jbyteArray JNICALL Java_io_llamabox_jni_Natives_mtmdMarker(JNIEnv *env, jclass, jlong ctx) {
    const char *marker = mtmd_get_marker(as<mtmd_context>(ctx));
    return to_bytes(env, marker != nullptr ? marker : mtmd_default_marker());
}

JNIEXPORT jlong JNICALL Java_io_llamabox_jni_Natives_bitmapNew(JNIEnv *env, jclass, jint width, jint height, jbyteArray rgb, jbyteArray id) {
    LLAMABOX_GUARD_BEGIN
    if (width < 1 || height < 1 || static_cast<jlong>(env->GetArrayLength(rgb)) != static_cast<jlong>(width) * height * 3) {
        throw_illegal_argument(env, "RGB data must hold width*height*3 bytes");
        return 0;
    }
    std::vector<unsigned char> data(static_cast<size_t>(width) * static_cast<size_t>(height) * 3);
    env->GetByteArrayRegion(rgb, 0, static_cast<jsize>(data.size()), reinterpret_cast<jbyte *>(data.data()));
    mtmd_bitmap *b = mtmd_bitmap_init(static_cast<uint32_t>(width), static_cast<uint32_t>(height), data.data());
    if (b != nullptr && id != nullptr) {
        std::string s = bytes_to_string(env, id);
        mtmd_bitmap_set_id(b, s.c_str());
    }
    return to_handle(b);
    LLAMABOX_GUARD_END(env, 0)
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_bitmapFree(JNIEnv *, jclass, jlong bitmap) {
    mtmd_bitmap_free(as<mtmd_bitmap>(bitmap));
}

JNIEXPORT jlong JNICALL Java_io_llamabox_jni_Natives_mtmdTokenize(JNIEnv *env, jclass, jlong ctx, jbyteArray text,
                                                                jboolean add_special, jboolean parse_special, jlongArray bitmaps) {
    LLAMABOX_GUARD_BEGIN
    std::string t = bytes_to_string(env, text);
    jsize n = env->GetArrayLength(bitmaps);
    std::vector<jlong> ptrs(static_cast<size_t>(n));
    env->GetLongArrayRegion(bitmaps, 0, n, ptrs.data());
    std::vector<const mtmd_bitmap *> bmps;
    for (jlong p : ptrs) bmps.push_back(as<mtmd_bitmap>(p));
    mtmd_input_text input{t.c_str(), t.size(), static_cast<bool>(add_special), static_cast<bool>(parse_special)};
    mtmd_input_chunks *chunks = mtmd_input_chunks_init();
    int32_t rc = mtmd_tokenize(as<mtmd_context>(ctx), chunks, &input, bmps.data(), bmps.size());
    if (rc != 0) {
        mtmd_input_chunks_free(chunks);
        return 0;
    }
    return to_handle(chunks);
    LLAMABOX_GUARD_END(env, 0)
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_chunksFree(JNIEnv *, jclass, jlong chunks) {
    mtmd_input_chunks_free(as<mtmd_input_chunks>(chunks));
}

JNIEXPORT jint JNICALL Java_io_llamabox_jni_Natives_chunksCount(JNIEnv *, jclass, jlong chunks) {
    return static_cast<jint>(mtmd_input_chunks_size(as<mtmd_input_chunks>(chunks)));
}

namespace {
const mtmd_input_chunk *chunk_at(JNIEnv *env, jlong chunks, jint i) {
    auto *c = as<mtmd_input_chunks>(chunks);
    if (i < 0 || static_cast<size_t>(i) >= mtmd_input_chunks_size(c)) {
        throw_illegal_argument(env, "chunk index out of range");
        return nullptr;
    }
    return mtmd_input_chunks_get(c, static_cast<size_t>(i));
}
} // namespace

JNIEXPORT jintArray JNICALL Java_io_llamabox_jni_Natives_chunkInfo(JNIEnv *env, jclass, jlong chunks, jint i) {
    const mtmd_input_chunk *c = chunk_at(env, chunks, i);
    if (c == nullptr) return nullptr;
    int32_t v[] = {static_cast<int32_t>(mtmd_input_chunk_get_type(c)), static_cast<int32_t>(mtmd_input_chunk_get_n_tokens(c)),
                   static_cast<int32_t>(mtmd_input_chunk_get_n_pos(c))};
    return to_int_array(env, v, 3);
}

JNIEXPORT jintArray JNICALL Java_io_llamabox_jni_Natives_chunkTextTokens(JNIEnv *env, jclass, jlong chunks, jint i) {
    const mtmd_input_chunk *c = chunk_at(env, chunks, i);
    if (c == nullptr || mtmd_input_chunk_get_type(c) != MTMD_INPUT_CHUNK_TYPE_TEXT) return nullptr;
    size_t n = 0;
    const llama_token *t = mtmd_input_chunk_get_tokens_text(c, &n);
    return to_int_array(env, t, n);
}

JNIEXPORT jbyteArray JNICALL Java_io_llamabox_jni_Natives_chunkId(JNIEnv *env, jclass, jlong chunks, jint i) {
    const mtmd_input_chunk *c = chunk_at(env, chunks, i);
    if (c == nullptr) return nullptr;
    return to_bytes(env, mtmd_input_chunk_get_id(c));
}

JNIEXPORT jint JNICALL Java_io_llamabox_jni_Natives_mtmdEvalChunk(JNIEnv *env, jclass, jlong mtmd, jlong ctx, jlong chunks, jint i,
                                                                 jint n_past, jint seq, jint n_batch, jboolean logits_last, jintArray new_n_past) {
    LLAMABOX_GUARD_BEGIN
    const mtmd_input_chunk *c = chunk_at(env, chunks, i);
    if (c == nullptr) return -1;
    auto *h = as<context_handle>(ctx);
    if (seq < 0 || seq >= h->n_seq_max || n_past < 0 || n_batch < 1) {
        throw_illegal_argument(env, "bad sequence, position or batch size");
        return -1;
    }
    // the helper adds a text chunk's tokens to *new_n_past (and sets it for media chunks): start from n_past
    llama_pos next = n_past;
    int32_t rc = mtmd_helper_eval_chunk_single(as<mtmd_context>(mtmd), h->ctx, c, n_past, seq, n_batch, logits_last, &next);
    h->last_n = 0;
    jint out = static_cast<jint>(next);
    env->SetIntArrayRegion(new_n_past, 0, 1, &out);
    return rc;
    LLAMABOX_GUARD_END(env, -1)
}
