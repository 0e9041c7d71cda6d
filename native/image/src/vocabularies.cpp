// Stands in for stable-diffusion.cpp's src/tokenizers/vocab/vocab.cpp, which includes every vocabulary
// header unconditionally. The vendored tree lacks most of them (see ../shared/vendor/README.md), so
// this file compiles in the ones that are present and returns an empty vocabulary for the others.
// Nothing ever tokenizes with an empty one: the JNI layer refuses, before loading, any model whose text
// encoder needs a vocabulary that compiled_vocabularies() does not list.
#include "tokenizers/vocab/vocab.h"
#include "vocabularies.hpp"

namespace {
// A real vocabulary is hundreds of kilobytes at least; a header holding a placeholder array (as some
// trimmed copies do to make vocab.cpp compile) does not make its vocabulary available.
constexpr size_t MIN_VOCABULARY_BYTES = 4096;

// The whole array, as vocab.cpp takes it (the headers' element types differ).
template <typename T, size_t N> std::string bytes_of(const T (&array)[N]) {
    return std::string(reinterpret_cast<const char *>(array), sizeof(array));
}
} // namespace

#include "tokenizers/vocab/clip_merges.hpp"
std::string load_clip_merges() { return bytes_of(clip_merges_utf8_c_str); }

#if __has_include("tokenizers/vocab/qwen_merges.hpp")
#define LLAMABOX_HAS_QWEN2 1
#include "tokenizers/vocab/qwen_merges.hpp"
std::string load_qwen2_merges() { return bytes_of(qwen2_merges_utf8_c_str); }
#else
std::string load_qwen2_merges() { return std::string(); }
#endif

#if __has_include("tokenizers/vocab/mistral_merges.hpp") && __has_include("tokenizers/vocab/mistral_vocab.hpp")
#define LLAMABOX_HAS_MISTRAL 1
#include "tokenizers/vocab/mistral_merges.hpp"
#include "tokenizers/vocab/mistral_vocab.hpp"
std::string load_mistral_merges() { return bytes_of(mistral_merges_utf8_c_str); }
std::string load_mistral_vocab_json() { return bytes_of(mistral_vocab_json_utf8_c_str); }
#else
std::string load_mistral_merges() { return std::string(); }
std::string load_mistral_vocab_json() { return std::string(); }
#endif

#if __has_include("tokenizers/vocab/t5.hpp")
#define LLAMABOX_HAS_T5 1
#include "tokenizers/vocab/t5.hpp"
std::string load_t5_tokenizer_json() { return bytes_of(t5_tokenizer_json_str); }
#else
std::string load_t5_tokenizer_json() { return std::string(); }
#endif

#if __has_include("tokenizers/vocab/umt5.hpp")
#define LLAMABOX_HAS_UMT5 1
#include "tokenizers/vocab/umt5.hpp"
std::string load_umt5_tokenizer_json() { return bytes_of(umt5_tokenizer_json_str); }
#else
std::string load_umt5_tokenizer_json() { return std::string(); }
#endif

#if __has_include("tokenizers/vocab/gemma_merges.hpp") && __has_include("tokenizers/vocab/gemma_vocab.hpp")
#define LLAMABOX_HAS_GEMMA 1
#include "tokenizers/vocab/gemma_merges.hpp"
#include "tokenizers/vocab/gemma_vocab.hpp"
std::string load_gemma_merges() { return bytes_of(gemma_merges_utf8_c_str); }
std::string load_gemma_vocab_json() { return bytes_of(gemma_vocab_json_utf8_c_str); }
#else
std::string load_gemma_merges() { return std::string(); }
std::string load_gemma_vocab_json() { return std::string(); }
#endif

#if __has_include("tokenizers/vocab/gemma2_merges.hpp") && __has_include("tokenizers/vocab/gemma2_vocab.hpp")
#define LLAMABOX_HAS_GEMMA2 1
#include "tokenizers/vocab/gemma2_merges.hpp"
#include "tokenizers/vocab/gemma2_vocab.hpp"
std::string load_gemma2_merges() { return bytes_of(gemma2_merges_utf8_c_str); }
std::string load_gemma2_vocab_json() { return bytes_of(gemma2_vocab_json_utf8_c_str); }
#else
std::string load_gemma2_merges() { return std::string(); }
std::string load_gemma2_vocab_json() { return std::string(); }
#endif

#if __has_include("tokenizers/vocab/gpt_oss_merges.hpp") && __has_include("tokenizers/vocab/gpt_oss_vocab.hpp")
#define LLAMABOX_HAS_GPT_OSS 1
#include "tokenizers/vocab/gpt_oss_merges.hpp"
#include "tokenizers/vocab/gpt_oss_vocab.hpp"
std::string load_gpt_oss_merges() { return bytes_of(gpt_oss_merges_utf8_c_str); }
std::string load_gpt_oss_vocab_json() { return bytes_of(gpt_oss_vocab_json_utf8_c_str); }
#else
std::string load_gpt_oss_merges() { return std::string(); }
std::string load_gpt_oss_vocab_json() { return std::string(); }
#endif

namespace llamabox_image {

std::vector<std::string> compiled_vocabularies() {
    std::vector<std::string> names{"clip"};
#ifdef LLAMABOX_HAS_T5
    if (sizeof(t5_tokenizer_json_str) >= MIN_VOCABULARY_BYTES)
        names.emplace_back("t5");
#endif
#ifdef LLAMABOX_HAS_UMT5
    if (sizeof(umt5_tokenizer_json_str) >= MIN_VOCABULARY_BYTES)
        names.emplace_back("umt5");
#endif
#ifdef LLAMABOX_HAS_QWEN2
    if (sizeof(qwen2_merges_utf8_c_str) >= MIN_VOCABULARY_BYTES)
        names.emplace_back("qwen2");
#endif
#ifdef LLAMABOX_HAS_MISTRAL
    if (sizeof(mistral_merges_utf8_c_str) >= MIN_VOCABULARY_BYTES && sizeof(mistral_vocab_json_utf8_c_str) >= MIN_VOCABULARY_BYTES)
        names.emplace_back("mistral");
#endif
#ifdef LLAMABOX_HAS_GEMMA
    if (sizeof(gemma_merges_utf8_c_str) >= MIN_VOCABULARY_BYTES && sizeof(gemma_vocab_json_utf8_c_str) >= MIN_VOCABULARY_BYTES)
        names.emplace_back("gemma");
#endif
#ifdef LLAMABOX_HAS_GEMMA2
    if (sizeof(gemma2_merges_utf8_c_str) >= MIN_VOCABULARY_BYTES && sizeof(gemma2_vocab_json_utf8_c_str) >= MIN_VOCABULARY_BYTES)
        names.emplace_back("gemma2");
#endif
#ifdef LLAMABOX_HAS_GPT_OSS
    if (sizeof(gpt_oss_merges_utf8_c_str) >= MIN_VOCABULARY_BYTES && sizeof(gpt_oss_vocab_json_utf8_c_str) >= MIN_VOCABULARY_BYTES)
        names.emplace_back("gpt_oss");
#endif
    return names;
}

} // namespace llamabox_image
