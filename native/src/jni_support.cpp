#include "jni_support.hpp"

#include "io_llamabox_jni_Natives.h"
#include "llama.h"
#include "mtmd.h"
#include "mtmd-helper.h"

#include <atomic>
#include <cstring>

namespace llamabox {

JavaVM *g_vm = nullptr;

namespace {
jclass g_log_class = nullptr;
jmethodID g_log_emit = nullptr;
std::atomic<int> g_min_level{2};
std::atomic<bool> g_forwarding{false};

// ggml_log_level: NONE 0, DEBUG 1, INFO 2, WARN 3, ERROR 4, CONT 5
thread_local std::string t_line;
thread_local int t_level = 2;

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
    return env;
}

void emit_line(int level, const std::string &line) {
    if (line.empty() || level < g_min_level.load() || !g_forwarding.load()) {
        return;
    }
    JNIEnv *env = attached_env();
    if (env == nullptr) {
        return;
    }
    // A log line may arrive while an exception is pending on this thread (a failing JNI call):
    // keep it, call into Java, and put it back.
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
    }
    if (pending != nullptr) {
        env->Throw(pending);
        env->DeleteLocalRef(pending);
    }
}

void log_callback(enum ggml_log_level level, const char *text, void *) {
    if (text == nullptr) {
        return;
    }
    int lvl = static_cast<int>(level);
    if (lvl != 5) {
        if (!t_line.empty()) {
            emit_line(t_level, t_line);
            t_line.clear();
        }
        t_level = lvl;
    }
    t_line.append(text);
    size_t nl;
    while ((nl = t_line.find('\n')) != std::string::npos) {
        emit_line(t_level, t_line.substr(0, nl));
        t_line.erase(0, nl + 1);
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
    jobjectArray out = env->NewObjectArray(static_cast<jsize>(values.size()), byte_array, nullptr);
    if (out == nullptr) {
        return nullptr;
    }
    for (size_t i = 0; i < values.size(); i++) {
        jbyteArray b = to_bytes(env, values[i]);
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

jintArray to_int_array(JNIEnv *env, const int32_t *values, size_t n) {
    jintArray out = env->NewIntArray(static_cast<jsize>(n));
    if (out != nullptr && n > 0) {
        env->SetIntArrayRegion(out, 0, static_cast<jsize>(n), reinterpret_cast<const jint *>(values));
    }
    return out;
}

void install_log_forwarding(int min_level) {
    g_min_level.store(min_level);
    g_forwarding.store(true);
    llama_log_set(log_callback, nullptr);
    mtmd_log_set(log_callback, nullptr);
    mtmd_helper_log_set(log_callback, nullptr);
}

} // namespace llamabox

using namespace llamabox;

extern "C" JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *) {
    g_vm = vm;
    JNIEnv *env = nullptr;
    if (vm->GetEnv(reinterpret_cast<void **>(&env), JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    jclass cls = env->FindClass("io/llamabox/jni/NativeLog");
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

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_setLogLevel(JNIEnv *, jclass, jint min_level) {
    install_log_forwarding(min_level);
}
