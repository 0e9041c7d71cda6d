// Process-level entries: logging, build facts, the names stable-diffusion.cpp accepts.
#include "io_llamabox_image_jni_Natives.h"
#include "stable-diffusion.h"
#include "support.hpp"
#include "vocabularies.hpp"

#include <string>
#include <vector>

using namespace llamabox_image;

namespace {
// With no progress callback stable-diffusion.cpp draws progress bars on stdout; outside a generation
// (lazy weight loading, for one) progress is not wanted anywhere.
void quiet_progress(int, int, float, void *) {}
} // namespace

JNIEXPORT void JNICALL Java_io_llamabox_image_jni_Natives_init(JNIEnv *env, jclass, jint min_level) {
    IMAGE_GUARD_BEGIN
    install_log_forwarding(min_level);
    sd_set_progress_callback(quiet_progress, nullptr);
    sd_set_preview_callback(nullptr, PREVIEW_NONE, 1, false, false, nullptr);
    IMAGE_GUARD_END(env, )
}

JNIEXPORT jbyteArray JNICALL Java_io_llamabox_image_jni_Natives_systemInfo(JNIEnv *env, jclass) {
    IMAGE_GUARD_BEGIN
    return to_bytes(env, sd_get_system_info());
    IMAGE_GUARD_END(env, nullptr)
}

JNIEXPORT jbyteArray JNICALL Java_io_llamabox_image_jni_Natives_version(JNIEnv *env, jclass) {
    IMAGE_GUARD_BEGIN
    return to_bytes(env, sd_version());
    IMAGE_GUARD_END(env, nullptr)
}

JNIEXPORT jbyteArray JNICALL Java_io_llamabox_image_jni_Natives_commit(JNIEnv *env, jclass) {
    IMAGE_GUARD_BEGIN
    return to_bytes(env, sd_commit());
    IMAGE_GUARD_END(env, nullptr)
}

JNIEXPORT jbyteArray JNICALL Java_io_llamabox_image_jni_Natives_variant(JNIEnv *env, jclass) {
    IMAGE_GUARD_BEGIN
    return to_bytes(env, LLAMABOX_IMAGE_VARIANT);
    IMAGE_GUARD_END(env, nullptr)
}

JNIEXPORT jobjectArray JNICALL Java_io_llamabox_image_jni_Natives_vocabularies(JNIEnv *env, jclass) {
    IMAGE_GUARD_BEGIN
    return to_byte_arrays(env, compiled_vocabularies());
    IMAGE_GUARD_END(env, nullptr)
}

JNIEXPORT jobjectArray JNICALL Java_io_llamabox_image_jni_Natives_sampleMethods(JNIEnv *env, jclass) {
    IMAGE_GUARD_BEGIN
    std::vector<std::string> names;
    for (int i = 0; i < SAMPLE_METHOD_COUNT; i++) {
        names.emplace_back(sd_sample_method_name(static_cast<sample_method_t>(i)));
    }
    return to_byte_arrays(env, names);
    IMAGE_GUARD_END(env, nullptr)
}

JNIEXPORT jobjectArray JNICALL Java_io_llamabox_image_jni_Natives_schedulers(JNIEnv *env, jclass) {
    IMAGE_GUARD_BEGIN
    std::vector<std::string> names;
    for (int i = 0; i < SCHEDULER_COUNT; i++) {
        names.emplace_back(sd_scheduler_name(static_cast<scheduler_t>(i)));
    }
    return to_byte_arrays(env, names);
    IMAGE_GUARD_END(env, nullptr)
}

JNIEXPORT jint JNICALL Java_io_llamabox_image_jni_Natives_physicalCores(JNIEnv *env, jclass) {
    IMAGE_GUARD_BEGIN
    return sd_get_num_physical_cores();
    IMAGE_GUARD_END(env, 0)
}
