// Shared helpers of libllamabox-image: exceptions, conversions, handle casts and the log forwarder.
#pragma once

#include <jni.h>

#include <cstdint>
#include <string>
#include <vector>

namespace llamabox_image {

extern JavaVM *g_vm;

// Throws a Java exception of the given class (binary name with slashes) unless one is pending.
void throw_java(JNIEnv *env, const char *cls, const std::string &message);
inline void throw_illegal_argument(JNIEnv *env, const std::string &m) { throw_java(env, "java/lang/IllegalArgumentException", m); }
inline void throw_illegal_state(JNIEnv *env, const std::string &m) { throw_java(env, "java/lang/IllegalStateException", m); }
inline void throw_diffusion(JNIEnv *env, const std::string &m) { throw_java(env, "io/llamabox/image/jni/DiffusionException", m); }

// UTF-8 bytes of a Java byte[] (empty when null).
std::string bytes_to_string(JNIEnv *env, jbyteArray bytes);
jbyteArray to_bytes(JNIEnv *env, const char *ptr, size_t len);
inline jbyteArray to_bytes(JNIEnv *env, const std::string &s) { return to_bytes(env, s.data(), s.size()); }
jbyteArray to_bytes(JNIEnv *env, const char *cstr);
jobjectArray to_byte_arrays(JNIEnv *env, const std::vector<std::string> &values);
std::vector<std::string> byte_arrays_to_strings(JNIEnv *env, jobjectArray arrays);

template <typename T> inline T *as(jlong handle) { return reinterpret_cast<T *>(static_cast<intptr_t>(handle)); }
template <typename T> inline jlong to_handle(T *ptr) { return static_cast<jlong>(reinterpret_cast<intptr_t>(ptr)); }

// Sends stable-diffusion.cpp's and the private ggml's log lines to Java; lines below min_level
// (0 debug, 1 info, 2 warn, 3 error) are dropped.
void install_log_forwarding(int min_level);
// stable-diffusion.cpp resets ggml's logger when it creates a context: route it to us again.
void route_ggml_log();

// Collects the error lines logged on this thread while it lives, so a failure can say why.
class ErrorCapture {
  public:
    ErrorCapture();
    ~ErrorCapture();
    ErrorCapture(const ErrorCapture &) = delete;
    ErrorCapture &operator=(const ErrorCapture &) = delete;
    // The first error lines and the last, joined with "; " (the rest are in the log), or "".
    std::string text() const;
    // Called by the log forwarder.
    void add(const std::string &line);

  private:
    std::vector<std::string> first_;
    std::string last_;
    size_t count_ = 0;
    ErrorCapture *previous_;
};

} // namespace llamabox_image

// Every JNI entry runs its body inside this guard so no C++ exception reaches the JVM.
#define IMAGE_GUARD_BEGIN try {
#define IMAGE_GUARD_END(env, fallback)                                                      \
    } catch (const std::bad_alloc &) {                                                      \
        llamabox_image::throw_java(env, "java/lang/OutOfMemoryError", "native allocation failed"); \
        return fallback;                                                                     \
    } catch (const std::exception &e) {                                                     \
        llamabox_image::throw_diffusion(env, std::string("native error: ") + e.what());     \
        return fallback;                                                                     \
    } catch (...) {                                                                          \
        llamabox_image::throw_diffusion(env, "unknown native error");                        \
        return fallback;                                                                     \
    }
