// WebP decoding with the installed libwebp: the first frame of a still or animated image as RGB.
// javax.imageio reads PNG, JPEG, GIF and BMP; WebP is the one format chat clients send that it lacks.
#include "jni_support.hpp"

#include "io_llamabox_jni_Natives.h"

#include <webp/decode.h>
#include <webp/demux.h>

#include <cstring>
#include <vector>

using namespace llamabox;

namespace {

// Copies an RGBA canvas into a new Java byte[] of RGB triples; alpha is dropped, as stb_image does
// for the other formats in llama.cpp's own server.
jbyteArray rgba_to_rgb(JNIEnv *env, const uint8_t *rgba, int width, int height) {
    const size_t pixels = static_cast<size_t>(width) * static_cast<size_t>(height);
    std::vector<uint8_t> rgb(pixels * 3);
    for (size_t i = 0; i < pixels; i++) {
        rgb[i * 3] = rgba[i * 4];
        rgb[i * 3 + 1] = rgba[i * 4 + 1];
        rgb[i * 3 + 2] = rgba[i * 4 + 2];
    }
    jbyteArray out = env->NewByteArray(static_cast<jsize>(rgb.size()));
    if (out != nullptr) {
        env->SetByteArrayRegion(out, 0, static_cast<jsize>(rgb.size()), reinterpret_cast<const jbyte *>(rgb.data()));
    }
    return out;
}

jbyteArray first_frame(JNIEnv *env, const uint8_t *data, size_t size) {
    WebPData webp{data, size};
    WebPAnimDecoderOptions options;
    if (!WebPAnimDecoderOptionsInit(&options)) {
        return nullptr;
    }
    options.color_mode = MODE_RGBA;
    options.use_threads = 0;
    WebPAnimDecoder *dec = WebPAnimDecoderNew(&webp, &options);
    if (dec == nullptr) {
        return nullptr;
    }
    jbyteArray out = nullptr;
    WebPAnimInfo info;
    uint8_t *frame = nullptr;
    int timestamp = 0;
    if (WebPAnimDecoderGetInfo(dec, &info) && WebPAnimDecoderHasMoreFrames(dec) &&
        WebPAnimDecoderGetNext(dec, &frame, &timestamp) && frame != nullptr) {
        out = rgba_to_rgb(env, frame, static_cast<int>(info.canvas_width), static_cast<int>(info.canvas_height));
    }
    WebPAnimDecoderDelete(dec);
    return out;
}

} // namespace

// Returns the RGB pixels, or null when the data is not a WebP image libwebp can decode or when it has
// more than max_pixels pixels. size receives width and height whenever the header could be read.
JNIEXPORT jbyteArray JNICALL Java_io_llamabox_jni_Natives_webpDecodeRgb(JNIEnv *env, jclass, jbyteArray data, jintArray size,
                                                                       jlong max_pixels) {
    LLAMABOX_GUARD_BEGIN
    const jsize n = env->GetArrayLength(data);
    std::vector<uint8_t> bytes(static_cast<size_t>(n));
    env->GetByteArrayRegion(data, 0, n, reinterpret_cast<jbyte *>(bytes.data()));
    WebPBitstreamFeatures features;
    if (WebPGetFeatures(bytes.data(), bytes.size(), &features) != VP8_STATUS_OK) {
        return nullptr;
    }
    jint dims[2] = {features.width, features.height};
    env->SetIntArrayRegion(size, 0, 2, dims);
    if (features.width < 1 || features.height < 1 ||
        static_cast<jlong>(features.width) * static_cast<jlong>(features.height) > max_pixels) {
        return nullptr;
    }
    if (features.has_animation) {
        return first_frame(env, bytes.data(), bytes.size());
    }
    int width = 0;
    int height = 0;
    uint8_t *rgb = WebPDecodeRGB(bytes.data(), bytes.size(), &width, &height);
    if (rgb == nullptr) {
        return nullptr;
    }
    jbyteArray out = nullptr;
    if (width == features.width && height == features.height) {
        const jsize len = static_cast<jsize>(static_cast<size_t>(width) * static_cast<size_t>(height) * 3);
        out = env->NewByteArray(len);
        if (out != nullptr) {
            env->SetByteArrayRegion(out, 0, len, reinterpret_cast<const jbyte *>(rgb));
        }
    }
    WebPFree(rgb);
    return out;
    LLAMABOX_GUARD_END(env, nullptr)
}
