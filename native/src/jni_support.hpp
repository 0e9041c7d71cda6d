// Shared helpers of the JNI bridge: conversions, exceptions, handle casts and the log forwarder.
#pragma once

#include <jni.h>

#include <cstdint>
#include <string>
#include <vector>

namespace llamabox {

extern JavaVM *g_vm;

// Throws a Java exception of the given class (binary name with slashes) unless one is pending.
void throw_java(JNIEnv *env, const char *cls, const std::string &message);
inline void throw_illegal_argument(JNIEnv *env, const std::string &m) { throw_java(env, "java/lang/IllegalArgumentException", m); }
inline void throw_illegal_state(JNIEnv *env, const std::string &m) { throw_java(env, "java/lang/IllegalStateException", m); }
inline void throw_llama(JNIEnv *env, const std::string &m) { throw_java(env, "io/llamabox/jni/LlamaException", m); }

// UTF-8 bytes of a Java byte[] (empty when null).
std::string bytes_to_string(JNIEnv *env, jbyteArray bytes);
// A Java byte[] holding the bytes (null when ptr is null).
jbyteArray to_bytes(JNIEnv *env, const char *ptr, size_t len);
inline jbyteArray to_bytes(JNIEnv *env, const std::string &s) { return to_bytes(env, s.data(), s.size()); }
jbyteArray to_bytes(JNIEnv *env, const char *cstr);
jobjectArray to_byte_arrays(JNIEnv *env, const std::vector<std::string> &values);
std::vector<std::string> byte_arrays_to_strings(JNIEnv *env, jobjectArray arrays);
jintArray to_int_array(JNIEnv *env, const int32_t *values, size_t n);

template <typename T> inline T *as(jlong handle) { return reinterpret_cast<T *>(static_cast<intptr_t>(handle)); }
template <typename T> inline jlong to_handle(T *ptr) { return static_cast<jlong>(reinterpret_cast<intptr_t>(ptr)); }

// Installs the llama.cpp/ggml/mtmd log callback; lines below min_level are dropped.
void install_log_forwarding(int min_level);

} // namespace llamabox

// Every JNI entry runs its body inside this guard so no C++ exception reaches the JVM.
#define LLAMABOX_GUARD_BEGIN try {
#define LLAMABOX_GUARD_END(env, fallback)                                              \
    } catch (const std::exception &e) {                                                \
        llamabox::throw_llama(env, std::string("native error: ") + e.what());          \
        return fallback;                                                               \
    } catch (...) {                                                                    \
        llamabox::throw_llama(env, "unknown native error");                            \
        return fallback;                                                               \
    }
