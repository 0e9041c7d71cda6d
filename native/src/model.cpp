// Models, vocabularies and LoRA adapters.
#include "jni_support.hpp"
#include "utf8_guard.hpp"

#include "io_llamabox_jni_Natives.h"
#include "llama.h"

#include <climits>
#include <cstring>

using namespace llamabox;

namespace {

struct progress_ctx {
    JNIEnv *env;
    jobject listener;
    jmethodID method;
};

bool on_progress(float fraction, void *user) {
    auto *p = static_cast<progress_ctx *>(user);
    if (p->env->ExceptionCheck()) {
        return false;
    }
    jboolean go = p->env->CallBooleanMethod(p->listener, p->method, static_cast<jfloat>(fraction));
    if (p->env->ExceptionCheck()) {
        return false;
    }
    return go == JNI_TRUE;
}

const llama_vocab *vocab_of(jlong model) {
    return llama_model_get_vocab(as<llama_model>(model));
}

bool valid_token(const llama_vocab *vocab, jint token) {
    return token >= 0 && token < llama_vocab_n_tokens(vocab);
}

std::string meta_string(int32_t (*get)(const llama_model *, int32_t, char *, size_t), const llama_model *m, int32_t i) {
    std::vector<char> buf(256);
    int32_t n = get(m, i, buf.data(), buf.size());
    if (n < 0) {
        return std::string();
    }
    if (static_cast<size_t>(n) >= buf.size()) {
        buf.resize(static_cast<size_t>(n) + 1);
        n = get(m, i, buf.data(), buf.size());
    }
    return std::string(buf.data(), static_cast<size_t>(n));
}

} // namespace

JNIEXPORT jlong JNICALL Java_io_llamabox_jni_Natives_modelLoad(
    JNIEnv *env, jclass, jbyteArray path, jint n_gpu_layers, jint split_mode, jint main_gpu, jfloatArray tensor_split,
    jintArray devices, jboolean use_mmap, jboolean use_mlock, jboolean check_tensors, jboolean vocab_only,
    jobjectArray kv_keys, jintArray kv_types, jlongArray kv_ints, jdoubleArray kv_floats, jobjectArray kv_strings,
    jobjectArray ot_patterns, jobjectArray ot_buffer_types, jboolean use_extra_bufts, jobject progress) {
    LLAMABOX_GUARD_BEGIN
    llama_model_params params = llama_model_default_params();
    params.n_gpu_layers = n_gpu_layers;
    if (split_mode < 0 || split_mode > 2) {
        throw_illegal_argument(env, "bad split mode");
        return 0;
    }
    params.split_mode = static_cast<llama_split_mode>(split_mode);
    params.main_gpu = main_gpu;
    params.check_tensors = check_tensors;
    params.vocab_only = vocab_only;
    if (use_mmap && use_mlock) {
        params.load_mode = LLAMA_LOAD_MODE_MMAP_MLOCK;
    } else if (use_mmap) {
        params.load_mode = LLAMA_LOAD_MODE_MMAP;
    } else if (use_mlock) {
        params.load_mode = LLAMA_LOAD_MODE_MLOCK;
    } else {
        params.load_mode = LLAMA_LOAD_MODE_NONE;
    }

    std::vector<float> split(llama_max_devices(), 0.0f);
    jsize n_split = tensor_split == nullptr ? 0 : env->GetArrayLength(tensor_split);
    if (static_cast<size_t>(n_split) > split.size()) {
        throw_illegal_argument(env, "too many tensor split values");
        return 0;
    }
    if (n_split > 0) {
        env->GetFloatArrayRegion(tensor_split, 0, n_split, split.data());
        params.tensor_split = split.data();
    }

    // a null array lets llama.cpp choose the devices; an empty one is an empty list: nothing is offloaded
    std::vector<ggml_backend_dev_t> devs;
    jsize n_dev = devices == nullptr ? 0 : env->GetArrayLength(devices);
    if (devices != nullptr) {
        std::vector<jint> idx(static_cast<size_t>(n_dev));
        env->GetIntArrayRegion(devices, 0, n_dev, idx.data());
        for (jint i : idx) {
            if (i < 0 || static_cast<size_t>(i) >= ggml_backend_dev_count()) {
                throw_illegal_argument(env, "no device " + std::to_string(i));
                return 0;
            }
            devs.push_back(ggml_backend_dev_get(static_cast<size_t>(i)));
        }
        devs.push_back(nullptr);
        params.devices = devs.data();
    }

    std::vector<llama_model_kv_override> overrides;
    jsize n_kv = kv_keys == nullptr ? 0 : env->GetArrayLength(kv_keys);
    if (n_kv > 0) {
        std::vector<std::string> keys = byte_arrays_to_strings(env, kv_keys);
        std::vector<std::string> strs = byte_arrays_to_strings(env, kv_strings);
        std::vector<jint> types(static_cast<size_t>(n_kv));
        std::vector<jlong> ints(static_cast<size_t>(n_kv));
        std::vector<jdouble> floats(static_cast<size_t>(n_kv));
        env->GetIntArrayRegion(kv_types, 0, n_kv, types.data());
        env->GetLongArrayRegion(kv_ints, 0, n_kv, ints.data());
        env->GetDoubleArrayRegion(kv_floats, 0, n_kv, floats.data());
        for (jsize i = 0; i < n_kv; i++) {
            llama_model_kv_override o{};
            const std::string &k = keys[static_cast<size_t>(i)];
            if (k.empty() || k.size() >= sizeof(o.key)) {
                throw_illegal_argument(env, "override key too long: " + k);
                return 0;
            }
            std::memcpy(o.key, k.c_str(), k.size() + 1);
            switch (types[static_cast<size_t>(i)]) {
                case 0: o.tag = LLAMA_KV_OVERRIDE_TYPE_INT; o.val_i64 = ints[static_cast<size_t>(i)]; break;
                case 1: o.tag = LLAMA_KV_OVERRIDE_TYPE_FLOAT; o.val_f64 = floats[static_cast<size_t>(i)]; break;
                case 2: o.tag = LLAMA_KV_OVERRIDE_TYPE_BOOL; o.val_bool = ints[static_cast<size_t>(i)] != 0; break;
                case 3: {
                    const std::string &v = strs[static_cast<size_t>(i)];
                    if (v.size() >= sizeof(o.val_str)) {
                        throw_illegal_argument(env, "override string too long for " + k);
                        return 0;
                    }
                    o.tag = LLAMA_KV_OVERRIDE_TYPE_STR;
                    std::memcpy(o.val_str, v.c_str(), v.size() + 1);
                    break;
                }
                default: throw_illegal_argument(env, "bad override type"); return 0;
            }
            overrides.push_back(o);
        }
        llama_model_kv_override end{};
        end.key[0] = 0;
        overrides.push_back(end);
        params.kv_overrides = overrides.data();
    }

    params.use_extra_bufts = use_extra_bufts;
    // the patterns must outlive the load: llama.cpp compiles them while it places the weights
    std::vector<std::string> ot_pattern_text;
    std::vector<llama_model_tensor_buft_override> buft_overrides;
    jsize n_ot = ot_patterns == nullptr ? 0 : env->GetArrayLength(ot_patterns);
    if (n_ot > 0) {
        ot_pattern_text = byte_arrays_to_strings(env, ot_patterns);
        std::vector<std::string> buft_names = byte_arrays_to_strings(env, ot_buffer_types);
        if (buft_names.size() != ot_pattern_text.size() || ot_pattern_text.size() >= llama_max_tensor_buft_overrides()) {
            throw_illegal_argument(env, "bad tensor override lists");
            return 0;
        }
        for (size_t i = 0; i < ot_pattern_text.size(); i++) {
            ggml_backend_buffer_type_t found = nullptr;
            for (size_t d = 0; d < ggml_backend_dev_count() && found == nullptr; d++) {
                ggml_backend_buffer_type_t buft = ggml_backend_dev_buffer_type(ggml_backend_dev_get(d));
                if (buft != nullptr && buft_names[i] == ggml_backend_buft_name(buft)) {
                    found = buft;
                }
            }
            if (found == nullptr) {
                throw_illegal_argument(env, "no buffer type " + buft_names[i]);
                return 0;
            }
            buft_overrides.push_back({ot_pattern_text[i].c_str(), found});
        }
        buft_overrides.push_back({nullptr, nullptr});
        params.tensor_buft_overrides = buft_overrides.data();
    }

    progress_ctx pc{env, progress, nullptr};
    if (progress != nullptr) {
        jclass cls = env->GetObjectClass(progress);
        pc.method = env->GetMethodID(cls, "onProgress", "(F)Z");
        if (pc.method == nullptr) {
            return 0;
        }
        params.progress_callback = on_progress;
        params.progress_callback_user_data = &pc;
    }
    std::string p = bytes_to_string(env, path);
    llama_model *model = llama_model_load_from_file(p.c_str(), params);
    if (env->ExceptionCheck()) {
        if (model != nullptr) {
            llama_model_free(model);
        }
        return 0;
    }
    return to_handle(model);
    LLAMABOX_GUARD_END(env, 0)
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_modelFree(JNIEnv *, jclass, jlong model) {
    utf8_guard_forget(llama_model_get_vocab(as<llama_model>(model)));
    llama_model_free(as<llama_model>(model));
}

JNIEXPORT jobjectArray JNICALL Java_io_llamabox_jni_Natives_modelMetadata(JNIEnv *env, jclass, jlong model) {
    LLAMABOX_GUARD_BEGIN
    const llama_model *m = as<llama_model>(model);
    int32_t n = llama_model_meta_count(m);
    std::vector<std::string> kv;
    kv.reserve(static_cast<size_t>(n) * 2);
    for (int32_t i = 0; i < n; i++) {
        kv.push_back(meta_string(llama_model_meta_key_by_index, m, i));
        kv.push_back(meta_string(llama_model_meta_val_str_by_index, m, i));
    }
    return to_byte_arrays(env, kv);
    LLAMABOX_GUARD_END(env, nullptr)
}

JNIEXPORT jintArray JNICALL Java_io_llamabox_jni_Natives_modelInts(JNIEnv *env, jclass, jlong model) {
    const llama_model *m = as<llama_model>(model);
    const llama_vocab *v = llama_model_get_vocab(m);
    int32_t values[] = {
        llama_model_n_ctx_train(m), llama_model_n_embd(m), llama_model_n_layer(m), llama_model_n_head(m),
        llama_model_n_head_kv(m), llama_vocab_n_tokens(v), static_cast<int32_t>(llama_model_n_cls_out(m)),
        llama_model_has_encoder(m) ? 1 : 0, llama_model_has_decoder(m) ? 1 : 0, llama_model_decoder_start_token(m),
        static_cast<int32_t>(llama_model_rope_type(m)), llama_model_n_swa(m), llama_model_is_recurrent(m) ? 1 : 0,
        static_cast<int32_t>(llama_vocab_type(v)), llama_model_is_hybrid(m) ? 1 : 0};
    return to_int_array(env, values, sizeof(values) / sizeof(values[0]));
}

JNIEXPORT jlong JNICALL Java_io_llamabox_jni_Natives_modelSize(JNIEnv *, jclass, jlong model) {
    return static_cast<jlong>(llama_model_size(as<llama_model>(model)));
}

JNIEXPORT jlong JNICALL Java_io_llamabox_jni_Natives_modelParamCount(JNIEnv *, jclass, jlong model) {
    return static_cast<jlong>(llama_model_n_params(as<llama_model>(model)));
}

JNIEXPORT jbyteArray JNICALL Java_io_llamabox_jni_Natives_modelDescription(JNIEnv *env, jclass, jlong model) {
    char buf[256];
    int32_t n = llama_model_desc(as<llama_model>(model), buf, sizeof(buf));
    return to_bytes(env, buf, n < 0 ? 0 : std::min<size_t>(static_cast<size_t>(n), sizeof(buf) - 1));
}

JNIEXPORT jbyteArray JNICALL Java_io_llamabox_jni_Natives_modelChatTemplate(JNIEnv *env, jclass, jlong model, jbyteArray name) {
    LLAMABOX_GUARD_BEGIN
    std::string n = bytes_to_string(env, name);
    return to_bytes(env, llama_model_chat_template(as<llama_model>(model), name == nullptr ? nullptr : n.c_str()));
    LLAMABOX_GUARD_END(env, nullptr)
}

JNIEXPORT jintArray JNICALL Java_io_llamabox_jni_Natives_vocabSpecials(JNIEnv *env, jclass, jlong model) {
    const llama_vocab *v = vocab_of(model);
    int32_t values[] = {llama_vocab_bos(v), llama_vocab_eos(v), llama_vocab_eot(v), llama_vocab_sep(v),
                        llama_vocab_nl(v), llama_vocab_pad(v), llama_vocab_fim_pre(v), llama_vocab_fim_suf(v),
                        llama_vocab_fim_mid(v), llama_vocab_fim_pad(v), llama_vocab_fim_rep(v), llama_vocab_fim_sep(v),
                        llama_vocab_get_add_bos(v) ? 1 : 0, llama_vocab_get_add_eos(v) ? 1 : 0,
                        llama_vocab_get_add_sep(v) ? 1 : 0};
    return to_int_array(env, values, sizeof(values) / sizeof(values[0]));
}

JNIEXPORT jint JNICALL Java_io_llamabox_jni_Natives_vocabAttributes(JNIEnv *env, jclass, jlong model, jint token) {
    const llama_vocab *v = vocab_of(model);
    if (!valid_token(v, token)) {
        throw_illegal_argument(env, "token id out of range: " + std::to_string(token));
        return 0;
    }
    return static_cast<jint>(llama_vocab_get_attr(v, token));
}

JNIEXPORT jboolean JNICALL Java_io_llamabox_jni_Natives_vocabIsEog(JNIEnv *env, jclass, jlong model, jint token) {
    const llama_vocab *v = vocab_of(model);
    if (!valid_token(v, token)) {
        throw_illegal_argument(env, "token id out of range: " + std::to_string(token));
        return JNI_FALSE;
    }
    return llama_vocab_is_eog(v, token);
}

JNIEXPORT jbyteArray JNICALL Java_io_llamabox_jni_Natives_vocabText(JNIEnv *env, jclass, jlong model, jint token) {
    const llama_vocab *v = vocab_of(model);
    if (!valid_token(v, token)) {
        throw_illegal_argument(env, "token id out of range: " + std::to_string(token));
        return nullptr;
    }
    return to_bytes(env, llama_vocab_get_text(v, token));
}

JNIEXPORT jfloat JNICALL Java_io_llamabox_jni_Natives_vocabScore(JNIEnv *env, jclass, jlong model, jint token) {
    const llama_vocab *v = vocab_of(model);
    if (!valid_token(v, token)) {
        throw_illegal_argument(env, "token id out of range: " + std::to_string(token));
        return 0;
    }
    return llama_vocab_get_score(v, token);
}

JNIEXPORT jintArray JNICALL Java_io_llamabox_jni_Natives_tokenize(JNIEnv *env, jclass, jlong model, jbyteArray text,
                                                                jboolean add_special, jboolean parse_special) {
    LLAMABOX_GUARD_BEGIN
    const llama_vocab *v = vocab_of(model);
    std::string t = bytes_to_string(env, text);
    if (t.size() > static_cast<size_t>(INT32_MAX / 2)) {
        return nullptr;
    }
    std::vector<llama_token> out(t.size() + 8);
    int32_t n = llama_tokenize(v, t.data(), static_cast<int32_t>(t.size()), out.data(), static_cast<int32_t>(out.size()),
                               add_special, parse_special);
    if (n == INT32_MIN) {
        return nullptr;
    }
    if (n < 0) {
        out.resize(static_cast<size_t>(-n));
        n = llama_tokenize(v, t.data(), static_cast<int32_t>(t.size()), out.data(), static_cast<int32_t>(out.size()),
                           add_special, parse_special);
        if (n < 0) {
            return nullptr;
        }
    }
    return to_int_array(env, out.data(), static_cast<size_t>(n));
    LLAMABOX_GUARD_END(env, nullptr)
}

JNIEXPORT jbyteArray JNICALL Java_io_llamabox_jni_Natives_tokenToPiece(JNIEnv *env, jclass, jlong model, jint token, jboolean special) {
    LLAMABOX_GUARD_BEGIN
    const llama_vocab *v = vocab_of(model);
    if (!valid_token(v, token)) {
        throw_illegal_argument(env, "token id out of range: " + std::to_string(token));
        return nullptr;
    }
    char buf[128];
    int32_t n = llama_token_to_piece(v, token, buf, sizeof(buf), 0, special);
    if (n >= 0) {
        return to_bytes(env, buf, static_cast<size_t>(n));
    }
    std::vector<char> big(static_cast<size_t>(-n));
    n = llama_token_to_piece(v, token, big.data(), static_cast<int32_t>(big.size()), 0, special);
    return to_bytes(env, big.data(), n < 0 ? 0 : static_cast<size_t>(n));
    LLAMABOX_GUARD_END(env, nullptr)
}

JNIEXPORT jbyteArray JNICALL Java_io_llamabox_jni_Natives_detokenize(JNIEnv *env, jclass, jlong model, jintArray tokens,
                                                                   jboolean remove_special, jboolean unparse_special) {
    LLAMABOX_GUARD_BEGIN
    const llama_vocab *v = vocab_of(model);
    jsize n = env->GetArrayLength(tokens);
    std::vector<llama_token> ids(static_cast<size_t>(n));
    env->GetIntArrayRegion(tokens, 0, n, ids.data());
    for (llama_token t : ids) {
        if (!valid_token(v, t)) {
            throw_illegal_argument(env, "token id out of range: " + std::to_string(t));
            return nullptr;
        }
    }
    std::vector<char> text(static_cast<size_t>(n) * 8 + 16);
    int32_t len = llama_detokenize(v, ids.data(), n, text.data(), static_cast<int32_t>(text.size()), remove_special, unparse_special);
    if (len < 0) {
        text.resize(static_cast<size_t>(-len));
        len = llama_detokenize(v, ids.data(), n, text.data(), static_cast<int32_t>(text.size()), remove_special, unparse_special);
    }
    return to_bytes(env, text.data(), len < 0 ? 0 : static_cast<size_t>(len));
    LLAMABOX_GUARD_END(env, nullptr)
}

JNIEXPORT jlong JNICALL Java_io_llamabox_jni_Natives_loraLoad(JNIEnv *env, jclass, jlong model, jbyteArray path) {
    LLAMABOX_GUARD_BEGIN
    std::string p = bytes_to_string(env, path);
    return to_handle(llama_adapter_lora_init(as<llama_model>(model), p.c_str()));
    LLAMABOX_GUARD_END(env, 0)
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_loraFree(JNIEnv *, jclass, jlong adapter) {
    llama_adapter_lora_free(as<llama_adapter_lora>(adapter));
}

JNIEXPORT jobjectArray JNICALL Java_io_llamabox_jni_Natives_loraMetadata(JNIEnv *env, jclass, jlong adapter) {
    LLAMABOX_GUARD_BEGIN
    const llama_adapter_lora *a = as<llama_adapter_lora>(adapter);
    int32_t n = llama_adapter_meta_count(a);
    std::vector<std::string> kv;
    for (int32_t i = 0; i < n; i++) {
        char buf[512];
        int32_t k = llama_adapter_meta_key_by_index(a, i, buf, sizeof(buf));
        kv.emplace_back(buf, k < 0 ? 0 : std::min<size_t>(static_cast<size_t>(k), sizeof(buf) - 1));
        int32_t l = llama_adapter_meta_val_str_by_index(a, i, buf, sizeof(buf));
        kv.emplace_back(buf, l < 0 ? 0 : std::min<size_t>(static_cast<size_t>(l), sizeof(buf) - 1));
    }
    return to_byte_arrays(env, kv);
    LLAMABOX_GUARD_END(env, nullptr)
}
