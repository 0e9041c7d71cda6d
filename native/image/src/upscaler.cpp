// ESRGAN upscaling over stable-diffusion.cpp's upscaler context. The Java side (Upscaler) validates the
// arguments and serialises these calls with the generations (the log buffer and ggml's logger are
// process-wide); the checks here repeat the ones a crash would follow from.
#include "io_llamabox_image_jni_Natives.h"
#include "stable-diffusion.h"
#include "support.hpp"

#include <cstdint>
#include <string>
#include <vector>

using namespace llamabox_image;

namespace {

upscaler_ctx_t *upscaler_of(JNIEnv *env, jlong handle) {
    auto *u = as<upscaler_ctx_t>(handle);
    if (u == nullptr) {
        throw_illegal_state(env, "upscaler is closed");
    }
    return u;
}

// One image stable-diffusion.cpp allocated, freed however the call ends.
struct OwnedImage {
    sd_image_t *images = nullptr;
    int count = 0;
    OwnedImage() = default;
    OwnedImage(const OwnedImage &) = delete;
    OwnedImage &operator=(const OwnedImage &) = delete;
    ~OwnedImage() { reset(); }
    void reset() {
        if (images != nullptr) {
            free_sd_images(images, count);
        }
        images = nullptr;
        count = 0;
    }
};

} // namespace

JNIEXPORT jlong JNICALL Java_io_llamabox_image_jni_Natives_upscalerLoad(JNIEnv *env, jclass, jbyteArray jpath,
                                                                        jint threads, jboolean conv_direct,
                                                                        jint tile_size, jbyteArray jbackend) {
    IMAGE_GUARD_BEGIN
    std::string path = bytes_to_string(env, jpath);
    std::string backend = bytes_to_string(env, jbackend);
    if (env->ExceptionCheck()) {
        return 0;
    }
    if (path.empty() || threads < 1 || tile_size < 1) {
        throw_illegal_argument(env, "upscaler: path, threads or tile size out of range");
        return 0;
    }
    ErrorCapture capture;
    upscaler_ctx_t *u = new_upscaler_ctx(path.c_str(), conv_direct, threads, tile_size,
                                         backend.empty() ? nullptr : backend.c_str(), nullptr);
    route_ggml_log();
    if (u == nullptr) {
        std::string why = capture.text();
        throw_diffusion(env, "stable-diffusion.cpp could not load the upscaler" + (why.empty() ? std::string() : ": " + why));
        return 0;
    }
    return to_handle(u);
    IMAGE_GUARD_END(env, 0)
}

JNIEXPORT jint JNICALL Java_io_llamabox_image_jni_Natives_upscalerFactor(JNIEnv *env, jclass, jlong handle) {
    IMAGE_GUARD_BEGIN
    upscaler_ctx_t *u = upscaler_of(env, handle);
    return u == nullptr ? 0 : static_cast<jint>(get_upscale_factor(u));
    IMAGE_GUARD_END(env, 0)
}

// Upscales an RGB image `repeats` times, as sd-cli's upscale mode does; writes the result's width, height
// and channels to dims.
JNIEXPORT jbyteArray JNICALL Java_io_llamabox_image_jni_Natives_upscale(JNIEnv *env, jclass, jlong handle,
                                                                        jbyteArray jpixels, jint width, jint height,
                                                                        jint channels, jint repeats, jintArray jdims) {
    IMAGE_GUARD_BEGIN
    upscaler_ctx_t *u = upscaler_of(env, handle);
    if (u == nullptr) {
        return nullptr;
    }
    if (jpixels == nullptr || jdims == nullptr || env->GetArrayLength(jdims) < 3 || width <= 0 || height <= 0 ||
        channels != 3 || repeats < 1 ||
        static_cast<int64_t>(width) * height * channels != env->GetArrayLength(jpixels)) {
        throw_illegal_argument(env, "upscale: the image does not match its size, or is not RGB, or repeats < 1");
        return nullptr;
    }
    std::vector<uint8_t> input(static_cast<size_t>(env->GetArrayLength(jpixels)));
    env->GetByteArrayRegion(jpixels, 0, static_cast<jsize>(input.size()), reinterpret_cast<jbyte *>(input.data()));
    sd_image_t current{static_cast<uint32_t>(width), static_cast<uint32_t>(height), static_cast<uint32_t>(channels),
                       input.data()};
    ErrorCapture capture;
    OwnedImage result;
    for (int r = 0; r < repeats; r++) {
        OwnedImage next;
        // the factor argument is unused by stable-diffusion.cpp's ESRGAN: the model's scale applies
        bool ok = upscale(u, current, 4, &next.images, &next.count);
        if (!ok || next.count <= 0 || next.images == nullptr || next.images[0].data == nullptr) {
            std::string why = capture.text();
            throw_diffusion(env, "upscaling failed" + (why.empty() ? std::string() : ": " + why));
            return nullptr;
        }
        result.reset();
        result.images = next.images;
        result.count = next.count;
        next.images = nullptr;
        next.count = 0;
        current = result.images[0];
    }
    const int64_t size = static_cast<int64_t>(current.width) * current.height * current.channel;
    if (size > INT32_MAX) {
        throw_diffusion(env, "upscaled image too large for a Java array");
        return nullptr;
    }
    jbyteArray out = to_bytes(env, reinterpret_cast<const char *>(current.data), static_cast<size_t>(size));
    if (out == nullptr) {
        return nullptr;
    }
    jint dims[3] = {static_cast<jint>(current.width), static_cast<jint>(current.height),
                    static_cast<jint>(current.channel)};
    env->SetIntArrayRegion(jdims, 0, 3, dims);
    return out;
    IMAGE_GUARD_END(env, nullptr)
}

JNIEXPORT void JNICALL Java_io_llamabox_image_jni_Natives_upscalerFree(JNIEnv *env, jclass, jlong handle) {
    IMAGE_GUARD_BEGIN
    auto *u = as<upscaler_ctx_t>(handle);
    if (u != nullptr) {
        free_upscaler_ctx(u);
    }
    IMAGE_GUARD_END(env, )
}
