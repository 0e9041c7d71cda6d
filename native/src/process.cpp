// Process-level entries: backend set-up, version and system info, devices and RPC.
#include "jni_support.hpp"

#include "io_llamabox_jni_Natives.h"
#include "ggml-backend.h"
#include "ggml-rpc.h"
#include "llama.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dlfcn.h>
#include <mutex>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

using namespace llamabox;

namespace {
std::once_flag g_backend_once;
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_backendInit(JNIEnv *, jclass) {
    std::call_once(g_backend_once, [] { llama_backend_init(); });
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_numaInit(JNIEnv *env, jclass, jint strategy) {
    if (strategy < GGML_NUMA_STRATEGY_DISABLED || strategy >= GGML_NUMA_STRATEGY_COUNT) {
        throw_illegal_argument(env, "unknown NUMA strategy " + std::to_string(strategy));
        return;
    }
    llama_numa_init(static_cast<ggml_numa_strategy>(strategy));
}

// Binds the calling thread to the CPUs whose bits are set in `cpus` (none set: left as it is) and gives
// it the nice value `nice`; threads it starts later (the CPU backend's OpenMP team) inherit both.
// Returns null, or what could not be done.
JNIEXPORT jbyteArray JNICALL Java_io_llamabox_jni_Natives_placeThread(JNIEnv *env, jclass, jlongArray cpus, jint nice) {
    std::string problems;
    jsize words = env->GetArrayLength(cpus);
    std::vector<jlong> bits(static_cast<size_t>(words));
    if (words > 0) {
        env->GetLongArrayRegion(cpus, 0, words, bits.data());
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    int selected = 0;
    for (jsize w = 0; w < words; w++) {
        for (int b = 0; b < 64; b++) {
            long cpu = static_cast<long>(w) * 64 + b;
            if ((static_cast<unsigned long long>(bits[static_cast<size_t>(w)]) >> b & 1ULL) != 0 && cpu < CPU_SETSIZE) {
                CPU_SET(static_cast<int>(cpu), &set);
                selected++;
            }
        }
    }
    if (selected > 0 && sched_setaffinity(0, sizeof(set), &set) != 0) {
        problems += std::string("CPU affinity: ") + std::strerror(errno);
    }
    if (setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), nice) != 0) {
        if (!problems.empty()) problems += "; ";
        problems += "priority (nice " + std::to_string(nice) + "): " + std::strerror(errno);
    }
    return problems.empty() ? nullptr : to_bytes(env, problems);
}

JNIEXPORT jbyteArray JNICALL Java_io_llamabox_jni_Natives_version(JNIEnv *env, jclass) {
    return to_bytes(env, llama_version());
}

JNIEXPORT jbyteArray JNICALL Java_io_llamabox_jni_Natives_systemInfo(JNIEnv *env, jclass) {
    return to_bytes(env, llama_print_system_info());
}

JNIEXPORT jboolean JNICALL Java_io_llamabox_jni_Natives_supportsGpuOffload(JNIEnv *, jclass) {
    return llama_supports_gpu_offload();
}

JNIEXPORT jboolean JNICALL Java_io_llamabox_jni_Natives_supportsMmap(JNIEnv *, jclass) {
    return llama_supports_mmap();
}

JNIEXPORT jboolean JNICALL Java_io_llamabox_jni_Natives_supportsMlock(JNIEnv *, jclass) {
    return llama_supports_mlock();
}

JNIEXPORT jint JNICALL Java_io_llamabox_jni_Natives_maxDevices(JNIEnv *, jclass) {
    return static_cast<jint>(llama_max_devices());
}

JNIEXPORT jint JNICALL Java_io_llamabox_jni_Natives_maxParallelSequences(JNIEnv *, jclass) {
    return static_cast<jint>(llama_max_parallel_sequences());
}

JNIEXPORT jboolean JNICALL Java_io_llamabox_jni_Natives_loadBackend(JNIEnv *env, jclass, jbyteArray path) {
    LLAMABOX_GUARD_BEGIN
    std::string p = bytes_to_string(env, path);
    return ggml_backend_load(p.c_str()) != nullptr;
    LLAMABOX_GUARD_END(env, JNI_FALSE)
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_loadBackendsFrom(JNIEnv *env, jclass, jbyteArray dir) {
    LLAMABOX_GUARD_BEGIN
    std::string d = bytes_to_string(env, dir);
    ggml_backend_load_all_from_path(d.c_str());
    LLAMABOX_GUARD_END(env, )
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_loadDefaultBackends(JNIEnv *env, jclass) {
    LLAMABOX_GUARD_BEGIN
    ggml_backend_load_all();
    LLAMABOX_GUARD_END(env, )
}

JNIEXPORT jint JNICALL Java_io_llamabox_jni_Natives_deviceCount(JNIEnv *, jclass) {
    return static_cast<jint>(ggml_backend_dev_count());
}

JNIEXPORT jobjectArray JNICALL Java_io_llamabox_jni_Natives_bufferTypes(JNIEnv *env, jclass) {
    LLAMABOX_GUARD_BEGIN
    // each device's default buffer type: the names a tensor override may give (llama.cpp's own lookup)
    std::vector<std::string> names;
    for (size_t i = 0; i < ggml_backend_dev_count(); i++) {
        ggml_backend_buffer_type_t buft = ggml_backend_dev_buffer_type(ggml_backend_dev_get(i));
        if (buft == nullptr) {
            continue;
        }
        std::string name = ggml_backend_buft_name(buft);
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            names.push_back(name);
        }
    }
    return to_byte_arrays(env, names);
    LLAMABOX_GUARD_END(env, nullptr)
}

JNIEXPORT jobjectArray JNICALL Java_io_llamabox_jni_Natives_deviceInfo(JNIEnv *env, jclass, jint index, jlongArray memory) {
    LLAMABOX_GUARD_BEGIN
    if (index < 0 || static_cast<size_t>(index) >= ggml_backend_dev_count()) {
        throw_illegal_argument(env, "no device " + std::to_string(index));
        return nullptr;
    }
    if (memory == nullptr || env->GetArrayLength(memory) < 3) {
        throw_illegal_argument(env, "memory array must hold 3 values");
        return nullptr;
    }
    ggml_backend_dev_t dev = ggml_backend_dev_get(static_cast<size_t>(index));
    size_t free_mem = 0, total_mem = 0;
    ggml_backend_dev_memory(dev, &free_mem, &total_mem);
    jlong m[3] = {static_cast<jlong>(free_mem), static_cast<jlong>(total_mem),
                  static_cast<jlong>(ggml_backend_dev_type(dev))};
    env->SetLongArrayRegion(memory, 0, 3, m);
    ggml_backend_reg_t reg = ggml_backend_dev_backend_reg(dev);
    const char *name = ggml_backend_dev_name(dev);
    const char *desc = ggml_backend_dev_description(dev);
    const char *backend = reg != nullptr ? ggml_backend_reg_name(reg) : "";
    return to_byte_arrays(env, {name ? name : "", desc ? desc : "", backend ? backend : ""});
    LLAMABOX_GUARD_END(env, nullptr)
}

JNIEXPORT jint JNICALL Java_io_llamabox_jni_Natives_addRpcServer(JNIEnv *env, jclass, jbyteArray endpoint) {
    LLAMABOX_GUARD_BEGIN
    ggml_backend_reg_t rpc = ggml_backend_reg_by_name("RPC");
    if (rpc == nullptr) {
        return -2;
    }
    using add_server_fn = ggml_backend_reg_t (*)(const char *);
    auto add_server = reinterpret_cast<add_server_fn>(ggml_backend_reg_get_proc_address(rpc, "ggml_backend_rpc_add_server"));
    if (add_server == nullptr) {
        return -2;
    }
    std::string ep = bytes_to_string(env, endpoint);
    ggml_backend_reg_t reg = add_server(ep.c_str());
    if (reg == nullptr) {
        return -1;
    }
    ggml_backend_register(reg);
    return static_cast<jint>(ggml_backend_reg_dev_count(reg));
    LLAMABOX_GUARD_END(env, -1)
}

JNIEXPORT void JNICALL Java_io_llamabox_jni_Natives_rpcServe(JNIEnv *env, jclass, jbyteArray endpoint, jbyteArray cache_dir,
                                                           jint threads, jintArray devices) {
    LLAMABOX_GUARD_BEGIN
    ggml_backend_reg_t rpc = ggml_backend_reg_by_name("RPC");
    using start_fn = void (*)(const char *, const char *, size_t, size_t, ggml_backend_dev_t *);
    auto start = rpc == nullptr ? nullptr
                                : reinterpret_cast<start_fn>(ggml_backend_reg_get_proc_address(rpc, "ggml_backend_rpc_start_server"));
    if (start == nullptr) {
        throw_llama(env, "the RPC backend is not loaded");
        return;
    }
    std::string ep = bytes_to_string(env, endpoint);
    std::string cache = bytes_to_string(env, cache_dir);
    jsize n = env->GetArrayLength(devices);
    std::vector<jint> idx(static_cast<size_t>(n));
    env->GetIntArrayRegion(devices, 0, n, idx.data());
    std::vector<ggml_backend_dev_t> devs;
    for (jint i : idx) {
        if (i < 0 || static_cast<size_t>(i) >= ggml_backend_dev_count()) {
            throw_illegal_argument(env, "no device " + std::to_string(i));
            return;
        }
        devs.push_back(ggml_backend_dev_get(static_cast<size_t>(i)));
    }
    start(ep.c_str(), cache_dir == nullptr ? nullptr : cache.c_str(), static_cast<size_t>(threads), devs.size(), devs.data());
    LLAMABOX_GUARD_END(env, )
}

JNIEXPORT jboolean JNICALL Java_io_llamabox_jni_Natives_backendRegistered(JNIEnv *env, jclass, jbyteArray name) {
    LLAMABOX_GUARD_BEGIN
    std::string n = bytes_to_string(env, name);
    return ggml_backend_reg_by_name(n.c_str()) != nullptr;
    LLAMABOX_GUARD_END(env, JNI_FALSE)
}

JNIEXPORT jbyteArray JNICALL Java_io_llamabox_jni_Natives_backendLibrary(JNIEnv *env, jclass, jbyteArray name) {
    LLAMABOX_GUARD_BEGIN
    std::string n = bytes_to_string(env, name);
    ggml_backend_reg_t reg = ggml_backend_reg_by_name(n.c_str());
    if (reg == nullptr) {
        return nullptr;
    }
    // the registry object and its name live in the plugin that registered them
    Dl_info info{};
    if (dladdr(static_cast<const void *>(reg), &info) == 0 || info.dli_fname == nullptr) {
        if (dladdr(static_cast<const void *>(ggml_backend_reg_name(reg)), &info) == 0 || info.dli_fname == nullptr) {
            return nullptr;
        }
    }
    return to_bytes(env, info.dli_fname);
    LLAMABOX_GUARD_END(env, nullptr)
}

JNIEXPORT jintArray JNICALL Java_io_llamabox_jni_Natives_rpcProtocolVersion(JNIEnv *env, jclass) {
    // the protocol of the ggml-rpc.h this library was compiled against, the one of the installed plugin
    jint v[3] = {RPC_PROTO_MAJOR_VERSION, RPC_PROTO_MINOR_VERSION, RPC_PROTO_PATCH_VERSION};
    jintArray out = env->NewIntArray(3);
    if (out != nullptr) {
        env->SetIntArrayRegion(out, 0, 3, v);
    }
    return out;
}
