// Contexts and generation. The Java side serialises every call that runs stable-diffusion.cpp (its
// progress and preview callbacks, and its log buffer, are process-wide); only cancel runs alongside.
#include "io_llamabox_image_jni_Natives.h"
#include "stable-diffusion.h"
#include "support.hpp"

#include <atomic>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace llamabox_image;

namespace {

struct ImageContext {
    sd_ctx_t *ctx = nullptr;
    // Set by cancel(); generation re-asserts it at every step, because generate_image clears
    // stable-diffusion.cpp's own flag when it starts.
    std::atomic<bool> cancel_requested{false};
};

// One generate call: where the callbacks go, and the first exception a listener threw.
struct GenerationRun {
    JNIEnv *env = nullptr;
    jobject callbacks = nullptr;
    jmethodID on_step = nullptr;
    jmethodID on_preview = nullptr;
    ImageContext *context = nullptr;
    std::thread::id thread;
    jthrowable failure = nullptr;

    bool usable() const { return std::this_thread::get_id() == thread && failure == nullptr; }

    // A listener's exception stays in Java's hands: keep it, stop the generation, rethrow at the end.
    void keep_failure() {
        jthrowable t = env->ExceptionOccurred();
        env->ExceptionClear();
        if (t != nullptr && failure == nullptr) {
            failure = static_cast<jthrowable>(env->NewGlobalRef(t));
        }
        if (t != nullptr) {
            env->DeleteLocalRef(t);
        }
        context->cancel_requested.store(true);
        sd_cancel_generation(context->ctx, SD_CANCEL_ALL);
    }
};

void quiet_progress(int, int, float, void *) {}

void on_progress(int step, int steps, float seconds, void *data) {
    auto *run = static_cast<GenerationRun *>(data);
    if (run == nullptr || std::this_thread::get_id() != run->thread) {
        return;
    }
    if (run->context->cancel_requested.load()) {
        sd_cancel_generation(run->context->ctx, SD_CANCEL_ALL);
        return;
    }
    if (!run->usable()) {
        return;
    }
    run->env->CallVoidMethod(run->callbacks, run->on_step, static_cast<jint>(step), static_cast<jint>(steps),
                             static_cast<jfloat>(seconds));
    if (run->env->ExceptionCheck()) {
        run->keep_failure();
    }
}

void on_preview(int step, int frame_count, sd_image_t *frames, bool noisy, void *data) {
    auto *run = static_cast<GenerationRun *>(data);
    if (run == nullptr || !run->usable() || frames == nullptr || frame_count <= 0) {
        return;
    }
    JNIEnv *env = run->env;
    if (env->PushLocalFrame(frame_count + 8) != 0) {
        run->keep_failure();
        return;
    }
    std::vector<jint> dims;
    jclass byte_array = env->FindClass("[B");
    jobjectArray pixels = byte_array == nullptr ? nullptr : env->NewObjectArray(frame_count, byte_array, nullptr);
    for (int i = 0; pixels != nullptr && i < frame_count; i++) {
        const sd_image_t &f = frames[i];
        size_t size = static_cast<size_t>(f.width) * f.height * f.channel;
        dims.push_back(static_cast<jint>(f.width));
        dims.push_back(static_cast<jint>(f.height));
        dims.push_back(static_cast<jint>(f.channel));
        jbyteArray b = to_bytes(env, reinterpret_cast<const char *>(f.data), f.data == nullptr ? 0 : size);
        if (b == nullptr && env->ExceptionCheck()) {
            break;
        }
        env->SetObjectArrayElement(pixels, i, b);
    }
    jintArray jdims = nullptr;
    if (!env->ExceptionCheck()) {
        jdims = env->NewIntArray(static_cast<jsize>(dims.size()));
        if (jdims != nullptr) {
            env->SetIntArrayRegion(jdims, 0, static_cast<jsize>(dims.size()), dims.data());
        }
    }
    if (!env->ExceptionCheck() && pixels != nullptr && jdims != nullptr) {
        env->CallVoidMethod(run->callbacks, run->on_preview, static_cast<jint>(step), jdims, pixels,
                            static_cast<jboolean>(noisy));
    }
    if (env->ExceptionCheck()) {
        run->keep_failure();
    }
    env->PopLocalFrame(nullptr);
}

// Puts the process-wide callbacks back to "nothing to report to" when a generation ends, however.
struct CallbackScope {
    CallbackScope(GenerationRun *run, preview_t mode, int interval, bool noisy) {
        sd_set_progress_callback(on_progress, run);
        sd_set_preview_callback(mode == PREVIEW_NONE ? nullptr : on_preview, mode, interval, true, noisy, run);
    }
    ~CallbackScope() {
        sd_set_progress_callback(quiet_progress, nullptr);
        sd_set_preview_callback(nullptr, PREVIEW_NONE, 1, false, false, nullptr);
    }
};

struct ImagesOwner {
    sd_image_t *images = nullptr;
    int count = 0;
    ~ImagesOwner() {
        if (images != nullptr) {
            free_sd_images(images, count);
        }
    }
};

ImageContext *context_of(JNIEnv *env, jlong handle) {
    auto *ic = as<ImageContext>(handle);
    if (ic == nullptr || ic->ctx == nullptr) {
        throw_illegal_state(env, "diffusion context is closed");
        return nullptr;
    }
    return ic;
}

const char *or_null(const std::string &s) { return s.empty() ? nullptr : s.c_str(); }

} // namespace

JNIEXPORT jlong JNICALL Java_io_llamabox_image_jni_Natives_load(JNIEnv *env, jclass, jobjectArray jpaths, jint threads,
                                                                jint rng_type, jint lora_apply_mode,
                                                                jboolean flash_attention, jboolean diffusion_conv_direct,
                                                                jboolean vae_conv_direct, jboolean eager_load,
                                                                jbyteArray jbackend, jbyteArray jparams_backend) {
    IMAGE_GUARD_BEGIN
    std::vector<std::string> paths = byte_arrays_to_strings(env, jpaths);
    if (env->ExceptionCheck()) {
        return 0;
    }
    if (paths.size() != 8) {
        throw_illegal_argument(env, "expected 8 paths");
        return 0;
    }
    if (threads < 1 || rng_type < 0 || rng_type >= RNG_TYPE_COUNT || lora_apply_mode < 0 ||
        lora_apply_mode >= LORA_APPLY_MODE_COUNT) {
        throw_illegal_argument(env, "threads, rng type or LoRA apply mode out of range");
        return 0;
    }
    std::string backend = bytes_to_string(env, jbackend);
    std::string params_backend = bytes_to_string(env, jparams_backend);

    sd_ctx_params_t p;
    sd_ctx_params_init(&p);
    p.model_path = paths[0].c_str();
    p.diffusion_model_path = paths[1].c_str();
    p.clip_l_path = paths[2].c_str();
    p.clip_g_path = paths[3].c_str();
    p.t5xxl_path = paths[4].c_str();
    p.vae_path = paths[5].c_str();
    p.taesd_path = paths[6].c_str();
    p.control_net_path = paths[7].c_str();
    p.n_threads = threads;
    p.rng_type = static_cast<rng_type_t>(rng_type);
    p.lora_apply_mode = static_cast<lora_apply_mode_t>(lora_apply_mode);
    p.flash_attn = flash_attention;
    p.diffusion_conv_direct = diffusion_conv_direct;
    p.vae_conv_direct = vae_conv_direct;
    p.eager_load = eager_load;
    p.backend = or_null(backend);
    p.params_backend = or_null(params_backend);

    ErrorCapture capture;
    sd_ctx_t *ctx = new_sd_ctx(&p);
    route_ggml_log();
    if (ctx == nullptr) {
        std::string why = capture.text();
        throw_diffusion(env, "stable-diffusion.cpp could not load the model" + (why.empty() ? std::string() : ": " + why));
        return 0;
    }
    auto *ic = new ImageContext();
    ic->ctx = ctx;
    return to_handle(ic);
    IMAGE_GUARD_END(env, 0)
}

JNIEXPORT void JNICALL Java_io_llamabox_image_jni_Natives_free(JNIEnv *env, jclass, jlong handle) {
    IMAGE_GUARD_BEGIN
    auto *ic = as<ImageContext>(handle);
    if (ic == nullptr) {
        return;
    }
    if (ic->ctx != nullptr) {
        free_sd_ctx(ic->ctx);
    }
    delete ic;
    IMAGE_GUARD_END(env, )
}

JNIEXPORT jint JNICALL Java_io_llamabox_image_jni_Natives_defaultSampleMethod(JNIEnv *env, jclass, jlong handle) {
    IMAGE_GUARD_BEGIN
    ImageContext *ic = context_of(env, handle);
    return ic == nullptr ? -1 : static_cast<jint>(sd_get_default_sample_method(ic->ctx));
    IMAGE_GUARD_END(env, -1)
}

JNIEXPORT jint JNICALL Java_io_llamabox_image_jni_Natives_defaultScheduler(JNIEnv *env, jclass, jlong handle,
                                                                           jint sample_method) {
    IMAGE_GUARD_BEGIN
    ImageContext *ic = context_of(env, handle);
    if (ic == nullptr) {
        return -1;
    }
    if (sample_method < 0 || sample_method >= SAMPLE_METHOD_COUNT) {
        throw_illegal_argument(env, "sample method index out of range: " + std::to_string(sample_method));
        return -1;
    }
    return static_cast<jint>(sd_get_default_scheduler(ic->ctx, static_cast<sample_method_t>(sample_method)));
    IMAGE_GUARD_END(env, -1)
}

JNIEXPORT void JNICALL Java_io_llamabox_image_jni_Natives_cancel(JNIEnv *env, jclass, jlong handle) {
    IMAGE_GUARD_BEGIN
    ImageContext *ic = context_of(env, handle);
    if (ic != nullptr) {
        ic->cancel_requested.store(true);
        sd_cancel_generation(ic->ctx, SD_CANCEL_ALL);
    }
    IMAGE_GUARD_END(env, )
}

JNIEXPORT void JNICALL Java_io_llamabox_image_jni_Natives_clearCancel(JNIEnv *env, jclass, jlong handle) {
    IMAGE_GUARD_BEGIN
    ImageContext *ic = context_of(env, handle);
    if (ic != nullptr) {
        ic->cancel_requested.store(false);
    }
    IMAGE_GUARD_END(env, )
}

// One input image of a generation, copied out of the JVM: stable-diffusion.cpp reads it during the call.
struct InputImage {
    std::vector<uint8_t> pixels;
    sd_image_t image{0, 0, 0, nullptr};
};

// Reads input image `index` of `jimages` (null: none) with its width, height and channels from `dims`; false
// with a Java exception pending when the sizes do not match the bytes or the channels are not `channels`.
static bool read_input_image(JNIEnv *env, jobjectArray jimages, const jint *dims, int index, int channels,
                             InputImage &out) {
    auto bytes = static_cast<jbyteArray>(env->GetObjectArrayElement(jimages, index));
    if (bytes == nullptr) {
        return true;
    }
    const jint w = dims[3 * index], h = dims[3 * index + 1], c = dims[3 * index + 2];
    const int64_t expected = static_cast<int64_t>(w) * h * c;
    if (w <= 0 || h <= 0 || c != channels || expected != env->GetArrayLength(bytes)) {
        throw_illegal_argument(env, "generate: input image " + std::to_string(index) + " does not match its size");
        return false;
    }
    out.pixels.resize(static_cast<size_t>(expected));
    env->GetByteArrayRegion(bytes, 0, static_cast<jsize>(expected), reinterpret_cast<jbyte *>(out.pixels.data()));
    env->DeleteLocalRef(bytes);
    out.image = sd_image_t{static_cast<uint32_t>(w), static_cast<uint32_t>(h), static_cast<uint32_t>(c),
                           out.pixels.data()};
    return true;
}

// ints:   clipSkip, width, height, sampleMethod (-1: default), scheduler (-1: default), steps, batchCount,
//         previewMode, previewInterval
// floats: cfgScale, imageCfgScale (NaN: default), guidance, eta (NaN: default), slgStart, slgEnd, slgScale,
//         strength, controlStrength
// images: the init image (RGB), the mask (one channel, 255 = repaint), the control image (RGB), each possibly
//         null, with width, height and channels of each in imageDims
JNIEXPORT jobjectArray JNICALL Java_io_llamabox_image_jni_Natives_generate(
    JNIEnv *env, jclass, jlong handle, jbyteArray jprompt, jbyteArray jnegative, jintArray jints, jfloatArray jfloats,
    jlong seed, jintArray jslg_layers, jobjectArray jlora_paths, jfloatArray jlora_multipliers, jboolean vae_tiling,
    jboolean preview_noisy, jobjectArray jimages, jintArray jimage_dims, jobject callbacks, jintArray jdims) {
    IMAGE_GUARD_BEGIN
    ImageContext *ic = context_of(env, handle);
    if (ic == nullptr) {
        return nullptr;
    }
    if (jints == nullptr || jfloats == nullptr || jslg_layers == nullptr || jlora_paths == nullptr ||
        jlora_multipliers == nullptr || jimages == nullptr || jimage_dims == nullptr || callbacks == nullptr ||
        jdims == nullptr) {
        throw_java(env, "java/lang/NullPointerException", "generate: a required argument is null");
        return nullptr;
    }
    if (env->GetArrayLength(jints) != 9 || env->GetArrayLength(jfloats) != 9 || env->GetArrayLength(jimages) != 3 ||
        env->GetArrayLength(jimage_dims) != 9) {
        throw_illegal_argument(env, "generate: wrong parameter array length");
        return nullptr;
    }
    jint ints[9];
    jfloat floats[9];
    jint image_dims[9];
    env->GetIntArrayRegion(jints, 0, 9, ints);
    env->GetFloatArrayRegion(jfloats, 0, 9, floats);
    env->GetIntArrayRegion(jimage_dims, 0, 9, image_dims);
    InputImage init_image, mask_image, control_image;
    if (!read_input_image(env, jimages, image_dims, 0, 3, init_image) ||
        !read_input_image(env, jimages, image_dims, 1, 1, mask_image) ||
        !read_input_image(env, jimages, image_dims, 2, 3, control_image)) {
        return nullptr;
    }
    if (mask_image.image.data != nullptr && init_image.image.data == nullptr) {
        throw_illegal_argument(env, "generate: a mask needs an init image");
        return nullptr;
    }
    const int clip_skip = ints[0], width = ints[1], height = ints[2], sample_method = ints[3], scheduler = ints[4],
              steps = ints[5], batch_count = ints[6], preview_mode = ints[7], preview_interval = ints[8];
    if (width <= 0 || height <= 0 || steps < 1 || batch_count < 1 || sample_method < -1 ||
        sample_method >= SAMPLE_METHOD_COUNT || scheduler < -1 || scheduler >= SCHEDULER_COUNT || preview_mode < 0 ||
        preview_mode >= PREVIEW_COUNT || preview_interval < 1) {
        throw_illegal_argument(env, "generate: parameter out of range");
        return nullptr;
    }
    if (env->GetArrayLength(jdims) < 3 * batch_count) {
        throw_illegal_argument(env, "generate: dimension array too short");
        return nullptr;
    }
    std::string prompt = bytes_to_string(env, jprompt);
    std::string negative = bytes_to_string(env, jnegative);
    std::vector<int> slg_layers(static_cast<size_t>(env->GetArrayLength(jslg_layers)));
    if (!slg_layers.empty()) {
        env->GetIntArrayRegion(jslg_layers, 0, static_cast<jsize>(slg_layers.size()), slg_layers.data());
    }
    std::vector<std::string> lora_paths = byte_arrays_to_strings(env, jlora_paths);
    std::vector<float> lora_multipliers(static_cast<size_t>(env->GetArrayLength(jlora_multipliers)));
    if (lora_multipliers.size() != lora_paths.size()) {
        throw_illegal_argument(env, "generate: one multiplier per LoRA");
        return nullptr;
    }
    if (!lora_multipliers.empty()) {
        env->GetFloatArrayRegion(jlora_multipliers, 0, static_cast<jsize>(lora_multipliers.size()),
                                 lora_multipliers.data());
    }
    std::vector<sd_lora_t> loras;
    for (size_t i = 0; i < lora_paths.size(); i++) {
        loras.push_back(sd_lora_t{false, lora_multipliers[i], lora_paths[i].c_str()});
    }

    sd_img_gen_params_t p;
    sd_img_gen_params_init(&p);
    p.prompt = prompt.c_str();
    p.negative_prompt = negative.c_str();
    p.clip_skip = clip_skip;
    p.width = width;
    p.height = height;
    p.seed = seed;
    p.batch_count = batch_count;
    p.strength = floats[7];
    p.init_image = init_image.image;
    p.mask_image = mask_image.image;
    p.control_image = control_image.image;
    p.control_strength = floats[8];
    p.loras = loras.empty() ? nullptr : loras.data();
    p.lora_count = static_cast<uint32_t>(loras.size());
    p.vae_tiling_params.enabled = vae_tiling;
    sd_sample_params_t &s = p.sample_params;
    s.sample_method = sample_method < 0 ? SAMPLE_METHOD_COUNT : static_cast<sample_method_t>(sample_method);
    s.scheduler = scheduler < 0 ? SCHEDULER_COUNT : static_cast<scheduler_t>(scheduler);
    s.sample_steps = steps;
    s.guidance.txt_cfg = floats[0];
    s.guidance.img_cfg = std::isnan(floats[1]) ? INFINITY : floats[1];
    s.guidance.distilled_guidance = floats[2];
    s.eta = std::isnan(floats[3]) ? INFINITY : floats[3];
    s.guidance.slg.layers = slg_layers.empty() ? nullptr : slg_layers.data();
    s.guidance.slg.layer_count = slg_layers.size();
    s.guidance.slg.layer_start = floats[4];
    s.guidance.slg.layer_end = floats[5];
    s.guidance.slg.scale = floats[6];

    jclass cls = env->GetObjectClass(callbacks);
    GenerationRun run;
    run.env = env;
    run.callbacks = callbacks;
    run.on_step = env->GetMethodID(cls, "onStep", "(IIF)V");
    run.on_preview = env->GetMethodID(cls, "onPreview", "(I[I[[BZ)V");
    if (run.on_step == nullptr || run.on_preview == nullptr) {
        return nullptr;
    }
    run.context = ic;
    run.thread = std::this_thread::get_id();

    ImagesOwner images;
    bool ok;
    {
        CallbackScope scope(&run, static_cast<preview_t>(preview_mode), preview_interval, preview_noisy);
        ErrorCapture capture;
        ok = generate_image(ic->ctx, &p, &images.images, &images.count);
        if (run.failure != nullptr) {
            env->Throw(run.failure);
            env->DeleteGlobalRef(run.failure);
            return nullptr;
        }
        if (ic->cancel_requested.load()) {
            env->ThrowNew(env->FindClass("io/llamabox/image/jni/GenerationCancelledException"), "generation cancelled");
            return nullptr;
        }
        if (!ok || images.images == nullptr || images.count <= 0) {
            std::string why = capture.text();
            throw_diffusion(env, "image generation failed" + (why.empty() ? std::string() : ": " + why));
            return nullptr;
        }
    }
    int count = images.count < batch_count ? images.count : batch_count;
    std::vector<jint> dims;
    jclass byte_array = env->FindClass("[B");
    if (byte_array == nullptr) {
        return nullptr;
    }
    jobjectArray out = env->NewObjectArray(count, byte_array, nullptr);
    if (out == nullptr) {
        return nullptr;
    }
    for (int i = 0; i < count; i++) {
        const sd_image_t &img = images.images[i];
        if (img.data == nullptr) {
            throw_diffusion(env, "image generation returned an empty image");
            return nullptr;
        }
        dims.push_back(static_cast<jint>(img.width));
        dims.push_back(static_cast<jint>(img.height));
        dims.push_back(static_cast<jint>(img.channel));
        size_t size = static_cast<size_t>(img.width) * img.height * img.channel;
        jbyteArray b = to_bytes(env, reinterpret_cast<const char *>(img.data), size);
        if (b == nullptr) {
            return nullptr;
        }
        env->SetObjectArrayElement(out, i, b);
        env->DeleteLocalRef(b);
    }
    env->SetIntArrayRegion(jdims, 0, static_cast<jsize>(dims.size()), dims.data());
    return out;
    IMAGE_GUARD_END(env, nullptr)
}
