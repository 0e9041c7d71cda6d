// Sampler chains. Sampling is done here rather than with llama_sampler_sample so that a chain that
// leaves no candidate (an impossible grammar) is reported instead of asserting.
#include "handles.hpp"
#include "jni_support.hpp"
#include "utf8_guard.hpp"

#include "io_llamabox_jni_Natives.h"

#include <cmath>

using namespace llamabox;

namespace {

struct sampler_handle {
    llama_sampler *chain = nullptr;
    int32_t n_vocab = 0;
    std::vector<llama_token_data> cur;
};

// codes of io.llamabox.jni.SamplerKind
enum kind { PENALTIES, DRY, TOP_K, TYPICAL_P, TOP_P, MIN_P, XTC, TEMPERATURE, TOP_N_SIGMA };

std::vector<const char *> c_strings(const std::vector<std::string> &v) {
    std::vector<const char *> out;
    for (const auto &s : v) out.push_back(s.c_str());
    return out;
}

} // namespace

JNIEXPORT jlong JNICALL Java_io_llamabox_jni_Natives_samplerChain(
    JNIEnv *env, jclass, jlong model, jint seed, jintArray order, jfloat temperature, jfloat dynatemp_range,
    jfloat dynatemp_exponent, jint top_k, jfloat top_p, jfloat min_p, jfloat typical_p, jfloat xtc_probability,
    jfloat xtc_threshold, jfloat top_n_sigma, jint penalty_last_n, jfloat repeat_penalty, jfloat frequency_penalty,
    jfloat presence_penalty, jfloat dry_multiplier, jfloat dry_base, jint dry_allowed_length, jint dry_penalty_last_n,
    jobjectArray dry_breakers, jint mirostat, jfloat mirostat_tau, jfloat mirostat_eta, jintArray bias_tokens,
    jfloatArray bias_values, jbyteArray grammar, jbyteArray grammar_root, jboolean grammar_lazy,
    jobjectArray trigger_patterns, jintArray trigger_tokens, jint min_keep) {
    LLAMABOX_GUARD_BEGIN
    const llama_model *m = as<llama_model>(model);
    const llama_vocab *vocab = llama_model_get_vocab(m);
    const int32_t n_vocab = llama_vocab_n_tokens(vocab);
    const auto useed = static_cast<uint32_t>(seed);
    const auto keep = static_cast<size_t>(min_keep < 0 ? 0 : min_keep);

    llama_sampler_chain_params cp = llama_sampler_chain_default_params();
    cp.no_perf = true;
    llama_sampler *chain = llama_sampler_chain_init(cp);

    jsize n_bias = env->GetArrayLength(bias_tokens);
    if (n_bias > 0) {
        std::vector<jint> ids(static_cast<size_t>(n_bias));
        std::vector<jfloat> vals(static_cast<size_t>(n_bias));
        env->GetIntArrayRegion(bias_tokens, 0, n_bias, ids.data());
        env->GetFloatArrayRegion(bias_values, 0, n_bias, vals.data());
        std::vector<llama_logit_bias> bias;
        for (jsize i = 0; i < n_bias; i++) {
            if (ids[static_cast<size_t>(i)] < 0 || ids[static_cast<size_t>(i)] >= n_vocab) {
                llama_sampler_free(chain);
                throw_illegal_argument(env, "logit bias token out of range");
                return 0;
            }
            bias.push_back({ids[static_cast<size_t>(i)], vals[static_cast<size_t>(i)]});
        }
        llama_sampler_chain_add(chain, llama_sampler_init_logit_bias(n_vocab, static_cast<int32_t>(bias.size()), bias.data()));
    }

    if (grammar != nullptr) {
        std::string g = bytes_to_string(env, grammar);
        std::string root = bytes_to_string(env, grammar_root);
        llama_sampler *gs;
        if (grammar_lazy) {
            std::vector<std::string> patterns = byte_arrays_to_strings(env, trigger_patterns);
            std::vector<const char *> pp = c_strings(patterns);
            jsize nt = env->GetArrayLength(trigger_tokens);
            std::vector<llama_token> tt(static_cast<size_t>(nt));
            env->GetIntArrayRegion(trigger_tokens, 0, nt, tt.data());
            for (llama_token t : tt) {
                if (t < 0 || t >= n_vocab) {
                    llama_sampler_free(chain);
                    throw_illegal_argument(env, "grammar trigger token out of range");
                    return 0;
                }
            }
            gs = llama_sampler_init_grammar_lazy_patterns(vocab, g.c_str(), root.c_str(), pp.data(), pp.size(), tt.data(), tt.size());
        } else {
            gs = llama_sampler_init_grammar(vocab, g.c_str(), root.c_str());
        }
        if (gs == nullptr) {
            llama_sampler_free(chain);
            return 0;
        }
        llama_sampler_chain_add(chain, gs);
        llama_sampler_chain_add(chain, utf8_guard_init(vocab));
    }

    if (mirostat == 1) {
        llama_sampler_chain_add(chain, llama_sampler_init_temp(temperature));
        llama_sampler_chain_add(chain, llama_sampler_init_mirostat(n_vocab, useed, mirostat_tau, mirostat_eta, 100));
    } else if (mirostat == 2) {
        llama_sampler_chain_add(chain, llama_sampler_init_temp(temperature));
        llama_sampler_chain_add(chain, llama_sampler_init_mirostat_v2(useed, mirostat_tau, mirostat_eta));
    } else {
        const bool greedy = temperature <= 0;
        jsize n_order = env->GetArrayLength(order);
        std::vector<jint> kinds(static_cast<size_t>(n_order));
        env->GetIntArrayRegion(order, 0, n_order, kinds.data());
        std::vector<std::string> breakers = byte_arrays_to_strings(env, dry_breakers);
        std::vector<const char *> bp = c_strings(breakers);
        for (jint k : kinds) {
            switch (k) {
                case PENALTIES:
                    if (penalty_last_n != 0 && (repeat_penalty != 1.0f || frequency_penalty != 0.0f || presence_penalty != 0.0f)) {
                        llama_sampler_chain_add(chain, llama_sampler_init_penalties(n_vocab, penalty_last_n < 0 ? 0 : penalty_last_n,
                                                                                   repeat_penalty, frequency_penalty, presence_penalty));
                    }
                    break;
                case DRY:
                    if (dry_multiplier > 0) {
                        llama_sampler_chain_add(chain, llama_sampler_init_dry(vocab, dry_multiplier, dry_base, dry_allowed_length,
                                                                              dry_penalty_last_n, bp.data(), bp.size()));
                    }
                    break;
                case TOP_K:
                    if (!greedy && top_k > 0) llama_sampler_chain_add(chain, llama_sampler_init_top_k(top_k));
                    break;
                case TYPICAL_P:
                    if (!greedy && typical_p < 1.0f) llama_sampler_chain_add(chain, llama_sampler_init_typical(typical_p, keep));
                    break;
                case TOP_P:
                    if (!greedy && top_p < 1.0f) llama_sampler_chain_add(chain, llama_sampler_init_top_p(top_p, keep));
                    break;
                case MIN_P:
                    if (!greedy && min_p > 0.0f) llama_sampler_chain_add(chain, llama_sampler_init_min_p(min_p, keep));
                    break;
                case XTC:
                    if (!greedy && xtc_probability > 0.0f) {
                        llama_sampler_chain_add(chain, llama_sampler_init_xtc(xtc_probability, xtc_threshold, keep, useed));
                    }
                    break;
                case TEMPERATURE:
                    if (!greedy) {
                        llama_sampler_chain_add(chain, llama_sampler_init_temp_ext(temperature, dynatemp_range, dynatemp_exponent));
                    }
                    break;
                case TOP_N_SIGMA:
                    if (!greedy && top_n_sigma > 0) llama_sampler_chain_add(chain, llama_sampler_init_top_n_sigma(top_n_sigma));
                    break;
                default:
                    llama_sampler_free(chain);
                    throw_illegal_argument(env, "unknown sampler kind " + std::to_string(k));
                    return 0;
            }
        }
        llama_sampler_chain_add(chain, greedy ? llama_sampler_init_greedy() : llama_sampler_init_dist(useed));
    }
    auto *h = new sampler_handle();
    h->chain = chain;
    h->n_vocab = n_vocab;
    h->cur.resize(static_cast<size_t>(n_vocab));
    return to_handle(h);
    LLAMABOX_GUARD_END(env, 0)
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_samplerFree(JNIEnv *, jclass, jlong sampler) {
    auto *h = as<sampler_handle>(sampler);
    llama_sampler_free(h->chain);
    delete h;
}

JNIEXPORT jint JNICALL Java_io_llamabox_jni_Natives_samplerSample(JNIEnv *env, jclass, jlong sampler, jlong ctx, jint index) {
    LLAMABOX_GUARD_BEGIN
    auto *h = as<sampler_handle>(sampler);
    auto *c = as<context_handle>(ctx);
    if (!c->has_output(index)) {
        throw_illegal_argument(env, "batch index " + std::to_string(index) + " has no logits");
        return -1;
    }
    if (c->n_vocab != h->n_vocab) {
        throw_illegal_argument(env, "sampler and context use different vocabularies");
        return -1;
    }
    const float *logits = llama_get_logits_ith(c->ctx, index);
    if (logits == nullptr) {
        throw_llama(env, "no logits at batch index " + std::to_string(index));
        return -1;
    }
    for (int32_t i = 0; i < h->n_vocab; i++) {
        h->cur[static_cast<size_t>(i)] = llama_token_data{i, logits[i], 0.0f};
    }
    llama_token_data_array arr{h->cur.data(), h->cur.size(), -1, false};
    llama_sampler_apply(h->chain, &arr);
    if (arr.selected < 0 || static_cast<size_t>(arr.selected) >= arr.size) {
        return -1;
    }
    llama_token token = arr.data[arr.selected].id;
    if (token < 0 || token >= h->n_vocab || (std::isinf(arr.data[arr.selected].logit) && arr.data[arr.selected].logit < 0)) {
        return -1;
    }
    llama_sampler_accept(h->chain, token);
    return token;
    LLAMABOX_GUARD_END(env, -1)
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_samplerAccept(JNIEnv *env, jclass, jlong sampler, jint token) {
    LLAMABOX_GUARD_BEGIN
    auto *h = as<sampler_handle>(sampler);
    if (token < 0 || token >= h->n_vocab) {
        throw_illegal_argument(env, "token id out of range: " + std::to_string(token));
        return;
    }
    llama_sampler_accept(h->chain, token);
    LLAMABOX_GUARD_END(env, )
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_samplerReset(JNIEnv *, jclass, jlong sampler) {
    llama_sampler_reset(as<sampler_handle>(sampler)->chain);
}

JNIEXPORT jlong JNICALL Java_io_llamabox_jni_Natives_samplerClone(JNIEnv *env, jclass, jlong sampler) {
    LLAMABOX_GUARD_BEGIN
    auto *h = as<sampler_handle>(sampler);
    auto *c = new sampler_handle();
    c->chain = llama_sampler_clone(h->chain);
    c->n_vocab = h->n_vocab;
    c->cur.resize(h->cur.size());
    return to_handle(c);
    LLAMABOX_GUARD_END(env, 0)
}

JNIEXPORT jboolean JNICALL Java_io_llamabox_jni_Natives_grammarValid(JNIEnv *env, jclass, jlong model, jbyteArray grammar, jbyteArray root) {
    LLAMABOX_GUARD_BEGIN
    std::string g = bytes_to_string(env, grammar);
    std::string r = bytes_to_string(env, root);
    llama_sampler *s = llama_sampler_init_grammar(llama_model_get_vocab(as<llama_model>(model)), g.c_str(), r.c_str());
    if (s == nullptr) {
        return JNI_FALSE;
    }
    llama_sampler_free(s);
    return JNI_TRUE;
    LLAMABOX_GUARD_END(env, JNI_FALSE)
}
