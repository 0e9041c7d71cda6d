// Control-image preprocessing: stable-diffusion.cpp's Canny edge detector, which sd-cli's --canny runs on
// the control image before generating.
#include "io_llamabox_image_jni_Natives.h"
#include "stable-diffusion.h"
#include "support.hpp"

#include <cstdint>
#include <string>
#include <vector>

using namespace llamabox_image;

// Returns the edge map of an RGB image (RGB again), computed in place on a copy.
JNIEXPORT jbyteArray JNICALL Java_io_llamabox_image_jni_Natives_canny(JNIEnv *env, jclass, jbyteArray jpixels,
                                                                      jint width, jint height, jfloat high,
                                                                      jfloat low, jfloat weak, jfloat strong,
                                                                      jboolean inverse) {
    IMAGE_GUARD_BEGIN
    if (jpixels == nullptr || width <= 0 || height <= 0 ||
        static_cast<int64_t>(width) * height * 3 != env->GetArrayLength(jpixels)) {
        throw_illegal_argument(env, "canny: the image does not match its size or is not RGB");
        return nullptr;
    }
    std::vector<uint8_t> pixels(static_cast<size_t>(env->GetArrayLength(jpixels)));
    env->GetByteArrayRegion(jpixels, 0, static_cast<jsize>(pixels.size()), reinterpret_cast<jbyte *>(pixels.data()));
    sd_image_t image{static_cast<uint32_t>(width), static_cast<uint32_t>(height), 3, pixels.data()};
    ErrorCapture capture;
    if (!preprocess_canny(image, high, low, weak, strong, inverse)) {
        std::string why = capture.text();
        throw_diffusion(env, "canny preprocessing failed" + (why.empty() ? std::string() : ": " + why));
        return nullptr;
    }
    return to_bytes(env, reinterpret_cast<const char *>(pixels.data()), pixels.size());
    IMAGE_GUARD_END(env, nullptr)
}
