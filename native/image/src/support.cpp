#include "support.hpp"

#include "ggml.h"
#include "stable-diffusion.h"

#include <atomic>
#include <cstring>

namespace llamabox_image {

JavaVM *g_vm = nullptr;

namespace {
jclass g_log_class = nullptr;
jmethodID g_log_emit = nullptr;
std::atomic<int> g_min_level{1};
std::atomic<bool> g_forwarding{false};
thread_local ErrorCapture *t_capture = nullptr;
// ggml continues a line with GGML_LOG_LEVEL_CONT: keep the pieces until the newline.
thread_local std::string t_ggml_line;
thread_local int t_ggml_level = 1;

// A native thread (stable-diffusion.cpp's loaders, OpenMP workers) that we attached to log is detached
// when it ends, so that the JVM does not keep a Thread for every one of them.
struct Attachment {
    bool attached = false;
    ~Attachment() {
        if (attached && g_vm != nullptr) {
            g_vm->DetachCurrentThread();
        }
    }
};
thread_local Attachment t_attachment;

JNIEnv *attached_env() {
    if (g_vm == nullptr) {
        return nullptr;
    }
    JNIEnv *env = nullptr;
    if (g_vm->GetEnv(reinterpret_cast<void **>(&env), JNI_VERSION_1_8) == JNI_OK) {
        return env;
    }
    if (g_vm->AttachCurrentThreadAsDaemon(reinterpret_cast<void **>(&env), nullptr) != JNI_OK) {
        return nullptr;
    }
    t_attachment.attached = true;
    return env;
}

// level: 0 debug, 1 info, 2 warn, 3 error (stable-diffusion.cpp's sd_log_level_t)
void emit_line(int level, const std::string &line) {
    if (line.empty()) {
        return;
    }
    if (level >= 3 && t_capture != nullptr) {
        t_capture->add(line);
    }
    if (level < g_min_level.load() || !g_forwarding.load()) {
        return;
    }
    JNIEnv *env = attached_env();
    if (env == nullptr) {
        return;
    }
    // A line can arrive while an exception is pending on this thread: keep it and put it back.
    jthrowable pending = env->ExceptionOccurred();
    if (pending != nullptr) {
        env->ExceptionClear();
    }
    jbyteArray bytes = to_bytes(env, line);
    if (bytes != nullptr) {
        env->CallStaticVoidMethod(g_log_class, g_log_emit, static_cast<jint>(level), bytes);
        if (env->ExceptionCheck()) {
            env->ExceptionClear();
        }
        env->DeleteLocalRef(bytes);
    } else if (env->ExceptionCheck()) {
        env->ExceptionClear();
    }
    if (pending != nullptr) {
        env->Throw(pending);
        env->DeleteLocalRef(pending);
    }
}

void emit_text(int level, const char *text) {
    std::string s(text);
    size_t start = 0;
    while (start <= s.size()) {
        size_t nl = s.find('\n', start);
        std::string line = s.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        emit_line(level, line);
        if (nl == std::string::npos) {
            break;
        }
        start = nl + 1;
    }
}

void sd_log(enum sd_log_level_t level, const char *text, void *) {
    if (text != nullptr) {
        emit_text(static_cast<int>(level), text);
    }
}

// ggml_log_level: NONE 0, DEBUG 1, INFO 2, WARN 3, ERROR 4, CONT 5
void ggml_log(enum ggml_log_level level, const char *text, void *) {
    if (text == nullptr) {
        return;
    }
    int lvl = static_cast<int>(level);
    if (lvl != GGML_LOG_LEVEL_CONT) {
        if (!t_ggml_line.empty()) {
            emit_line(t_ggml_level, t_ggml_line);
            t_ggml_line.clear();
        }
        t_ggml_level = lvl <= 1 ? 0 : lvl - 1;
    }
    t_ggml_line.append(text);
    size_t nl;
    while ((nl = t_ggml_line.find('\n')) != std::string::npos) {
        emit_line(t_ggml_level, t_ggml_line.substr(0, nl));
        t_ggml_line.erase(0, nl + 1);
    }
}
} // namespace

void throw_java(JNIEnv *env, const char *cls, const std::string &message) {
    if (env->ExceptionCheck()) {
        return;
    }
    jclass c = env->FindClass(cls);
    if (c != nullptr) {
        env->ThrowNew(c, message.c_str());
    }
}

std::string bytes_to_string(JNIEnv *env, jbyteArray bytes) {
    if (bytes == nullptr) {
        return std::string();
    }
    jsize n = env->GetArrayLength(bytes);
    std::string out(static_cast<size_t>(n), '\0');
    if (n > 0) {
        env->GetByteArrayRegion(bytes, 0, n, reinterpret_cast<jbyte *>(&out[0]));
    }
    return out;
}

jbyteArray to_bytes(JNIEnv *env, const char *ptr, size_t len) {
    if (ptr == nullptr) {
        return nullptr;
    }
    jbyteArray out = env->NewByteArray(static_cast<jsize>(len));
    if (out != nullptr && len > 0) {
        env->SetByteArrayRegion(out, 0, static_cast<jsize>(len), reinterpret_cast<const jbyte *>(ptr));
    }
    return out;
}

jbyteArray to_bytes(JNIEnv *env, const char *cstr) {
    return cstr == nullptr ? nullptr : to_bytes(env, cstr, std::strlen(cstr));
}

jobjectArray to_byte_arrays(JNIEnv *env, const std::vector<std::string> &values) {
    jclass byte_array = env->FindClass("[B");
    if (byte_array == nullptr) {
        return nullptr;
    }
    jobjectArray out = env->NewObjectArray(static_cast<jsize>(values.size()), byte_array, nullptr);
    if (out == nullptr) {
        return nullptr;
    }
    for (size_t i = 0; i < values.size(); i++) {
        jbyteArray b = to_bytes(env, values[i]);
        if (b == nullptr) {
            return nullptr;
        }
        env->SetObjectArrayElement(out, static_cast<jsize>(i), b);
        env->DeleteLocalRef(b);
    }
    return out;
}

std::vector<std::string> byte_arrays_to_strings(JNIEnv *env, jobjectArray arrays) {
    std::vector<std::string> out;
    if (arrays == nullptr) {
        return out;
    }
    jsize n = env->GetArrayLength(arrays);
    out.reserve(static_cast<size_t>(n));
    for (jsize i = 0; i < n; i++) {
        auto b = static_cast<jbyteArray>(env->GetObjectArrayElement(arrays, i));
        out.push_back(bytes_to_string(env, b));
        env->DeleteLocalRef(b);
    }
    return out;
}

void install_log_forwarding(int min_level) {
    g_min_level.store(min_level);
    g_forwarding.store(true);
    sd_set_log_callback(sd_log, nullptr);
    route_ggml_log();
}

void route_ggml_log() {
    ggml_log_set(ggml_log, nullptr);
}

ErrorCapture::ErrorCapture() : previous_(t_capture) {
    t_capture = this;
}

ErrorCapture::~ErrorCapture() {
    t_capture = previous_;
}

void ErrorCapture::add(const std::string &line) {
    if (first_.size() < 3) {
        first_.push_back(line);
    }
    last_ = line;
    count_++;
}

std::string ErrorCapture::text() const {
    std::string out;
    for (const auto &line : first_) {
        if (!out.empty()) {
            out += "; ";
        }
        out += line;
    }
    if (count_ > first_.size()) {
        if (count_ > first_.size() + 1) {
            out += "; ... " + std::to_string(count_ - first_.size() - 1) + " more (see the log)";
        }
        out += "; " + last_;
    }
    return out;
}

} // namespace llamabox_image

using namespace llamabox_image;

extern "C" JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *) {
    g_vm = vm;
    JNIEnv *env = nullptr;
    if (vm->GetEnv(reinterpret_cast<void **>(&env), JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    jclass cls = env->FindClass("io/llamabox/image/jni/DiffusionLog");
    if (cls == nullptr) {
        return JNI_ERR;
    }
    g_log_class = static_cast<jclass>(env->NewGlobalRef(cls));
    g_log_emit = env->GetStaticMethodID(g_log_class, "emit", "(I[B)V");
    if (g_log_emit == nullptr) {
        return JNI_ERR;
    }
    return JNI_VERSION_1_8;
}

extern "C" JNIEXPORT void JNICALL JNI_OnUnload(JavaVM *, void *) {
    g_forwarding.store(false);
}
