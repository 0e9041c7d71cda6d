// Model inspection: stable-diffusion.cpp's own loader and version detector read the files' headers
// (no weights), so that a file it cannot use is refused before a context ever sees it.
#include "io_llamabox_image_jni_Natives.h"
#include "model.h"
#include "model_loader.h"
#include "support.hpp"

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

// Defined in stable-diffusion.cpp (external linkage, no header declares it).
extern const char *model_version_to_str[];

using namespace llamabox_image;

namespace {

// The order of Natives.inspect's path array, and the tensor-name prefix stable-diffusion.cpp gives
// each component when new_sd_ctx loads it (StableDiffusionGGML::init_model_loader).
struct Component {
    const char *what;
    const char *prefix;
};
constexpr Component COMPONENTS[] = {
    {"model", ""},
    {"diffusion model", "model.diffusion_model."},
    {"CLIP-L text encoder", "clip_l."},
    {"CLIP-G text encoder", "clip_g."},
    {"T5-XXL text encoder", "text_encoders.t5xxl.transformer."},
    {"VAE", "vae."},
    {"TAESD", "tae."},
    {"ControlNet", ""},
};
constexpr size_t COMPONENT_COUNT = sizeof(COMPONENTS) / sizeof(COMPONENTS[0]);

// Gives the inspection the file paths the loader keeps to itself.
class InspectingLoader : public ModelLoader {
  public:
    const std::vector<std::string> &paths() const { return file_paths_; }
};

std::string family_of(SDVersion v) {
    if (sd_version_is_sd1(v)) return "SD1";
    if (sd_version_is_sd2(v)) return "SD2";
    if (sd_version_is_sdxl(v)) return "SDXL";
    if (v == VERSION_SVD) return "SVD";
    if (sd_version_is_sd3(v)) return "SD3";
    if (sd_version_is_flux(v)) return "FLUX";
    if (sd_version_is_flux2(v)) return "FLUX2";
    if (sd_version_is_ltxav(v)) return "LTXAV";
    if (sd_version_is_minimax_h3(v)) return "MINIMAX_H3";
    if (sd_version_is_wan(v)) return "WAN";
    if (sd_version_is_lingbot_video(v)) return "LINGBOT_VIDEO";
    if (sd_version_is_qwen_image(v)) return "QWEN_IMAGE";
    if (sd_version_is_hunyuan_video(v)) return "HUNYUAN_VIDEO";
    if (sd_version_is_anima(v)) return "ANIMA";
    if (v == VERSION_HIDREAM_O1) return "HIDREAM_O1";
    if (sd_version_is_z_image(v)) return "Z_IMAGE";
    if (sd_version_is_boogu_image(v)) return "BOOGU_IMAGE";
    if (sd_version_is_ernie_image(v)) return "ERNIE_IMAGE";
    if (sd_version_is_lens(v)) return "LENS";
    if (sd_version_is_minit2i(v)) return "MINIT2I";
    if (sd_version_is_longcat(v)) return "LONGCAT";
    if (sd_version_is_pid(v)) return "PID";
    if (sd_version_is_ideogram4(v)) return "IDEOGRAM4";
    if (sd_version_is_sefi_image(v)) return "SEFI_IMAGE";
    if (sd_version_is_krea2(v)) return "KREA2";
    if (sd_version_is_mage_flow(v)) return "MAGE_FLOW";
    return "UNKNOWN";
}

// The tokenizer of the LLM text encoder LLMEmbedder picks for a version.
std::string llm_vocabulary(SDVersion v) {
    if (v == VERSION_FLUX2 || sd_version_is_ernie_image(v)) return "mistral";
    if (sd_version_is_lens(v)) return "gpt_oss";
    if (sd_version_is_pid(v)) return "gemma2";
    return "qwen2";
}

bool has_tensor_containing(const String2TensorStorage &tensors, const std::string &part) {
    for (const auto &[name, _] : tensors) {
        if (name.find(part) != std::string::npos) {
            return true;
        }
    }
    return false;
}

// The vocabularies the conditioner that StableDiffusionGGML::init builds for this version constructs
// tokenizers with (their members are built whether or not the encoder's weights are present).
std::vector<std::string> needed_vocabularies(SDVersion v, const String2TensorStorage &tensors) {
    if (sd_version_is_sd3(v)) return {"clip", "t5"};
    if (sd_version_is_flux(v)) {
        if (has_tensor_containing(tensors, "distilled_guidance_layer.in_proj.weight")) return {"t5"};  // Chroma
        if (v == VERSION_OVIS_IMAGE) return {"qwen2"};
        return {"clip", "t5"};
    }
    if (sd_version_is_wan(v)) return {"umt5"};
    if (sd_version_is_minit2i(v)) return {"t5"};
    if (sd_version_is_anima(v)) return {"qwen2", "t5"};
    if (sd_version_is_ltxav(v)) return {"gemma"};
    if (v == VERSION_HIDREAM_O1) return {"qwen2"};
    if (sd_version_is_pid(v) || sd_version_is_ideogram4(v) || sd_version_is_krea2(v) || sd_version_is_flux2(v) ||
        sd_version_is_sefi_image(v) || sd_version_is_minimax_h3(v) || sd_version_is_hunyuan_video(v) ||
        sd_version_is_lingbot_video(v) || sd_version_is_qwen_image(v) || sd_version_is_mage_flow(v) ||
        sd_version_is_longcat(v) || sd_version_is_z_image(v) || sd_version_is_boogu_image(v) ||
        sd_version_is_ernie_image(v) || sd_version_is_lens(v)) {
        return {llm_vocabulary(v)};
    }
    return {"clip"};  // SD 1.x, SD 2.x, SDXL, SVD
}

std::string with_reason(std::string message, const ErrorCapture &capture) {
    std::string why = capture.text();
    if (!why.empty()) {
        message += " (" + why + ")";
    }
    return message;
}

// Every tensor's bytes must lie inside its file, or loading would read past the end.
bool check_extents(JNIEnv *env, const InspectingLoader &loader) {
    const auto &paths = loader.paths();
    std::vector<uintmax_t> sizes(paths.size(), 0);
    for (size_t i = 0; i < paths.size(); i++) {
        std::error_code ec;
        sizes[i] = std::filesystem::file_size(paths[i], ec);
        if (ec) {
            throw_diffusion(env, "cannot read the size of " + paths[i] + ": " + ec.message());
            return false;
        }
    }
    for (const auto &[name, tensor] : loader.get_tensor_storage_map()) {
        if (tensor.index_in_zip >= 0 || tensor.file_index >= sizes.size()) {
            continue;  // inside a zip entry: the archive reader checks those
        }
        int64_t bytes = tensor.nbytes_to_read();
        if (bytes < 0 || tensor.offset > sizes[tensor.file_index] ||
            static_cast<uintmax_t>(bytes) > sizes[tensor.file_index] - tensor.offset) {
            throw_diffusion(env, paths[tensor.file_index] + " is truncated or corrupt: tensor '" + name + "' (" +
                                     std::to_string(bytes) + " bytes at offset " + std::to_string(tensor.offset) +
                                     ") ends past the end of the file (" +
                                     std::to_string(sizes[tensor.file_index]) + " bytes)");
            return false;
        }
    }
    return true;
}

} // namespace

JNIEXPORT void JNICALL Java_io_llamabox_image_jni_Natives_checkWeights(JNIEnv *env, jclass, jbyteArray jpath) {
    IMAGE_GUARD_BEGIN
    std::string path = bytes_to_string(env, jpath);
    if (path.empty()) {
        throw_illegal_argument(env, "no weights file given");
        return;
    }
    ErrorCapture capture;
    InspectingLoader loader;
    if (!loader.init_from_file(path)) {
        throw_diffusion(env, with_reason("not a weights file stable-diffusion.cpp can read: " + path, capture));
        return;
    }
    check_extents(env, loader);
    IMAGE_GUARD_END(env, )
}

JNIEXPORT jobjectArray JNICALL Java_io_llamabox_image_jni_Natives_inspect(JNIEnv *env, jclass, jobjectArray jpaths) {
    IMAGE_GUARD_BEGIN
    std::vector<std::string> paths = byte_arrays_to_strings(env, jpaths);
    if (env->ExceptionCheck()) {
        return nullptr;
    }
    if (paths.size() != COMPONENT_COUNT) {
        throw_illegal_argument(env, "expected " + std::to_string(COMPONENT_COUNT) + " paths");
        return nullptr;
    }
    if (paths[0].empty() && paths[1].empty()) {
        throw_illegal_argument(env, "a model or a diffusion model path is required");
        return nullptr;
    }
    ErrorCapture capture;
    InspectingLoader loader;
    for (size_t i = 0; i < COMPONENT_COUNT; i++) {
        if (paths[i].empty()) {
            continue;
        }
        if (!loader.init_from_file(paths[i], COMPONENTS[i].prefix)) {
            throw_diffusion(env, with_reason("not a model file stable-diffusion.cpp can read (" +
                                                 std::string(COMPONENTS[i].what) + "): " + paths[i],
                                             capture));
            return nullptr;
        }
    }
    if (!check_extents(env, loader)) {
        return nullptr;
    }
    loader.convert_tensors_name();
    SDVersion version = loader.get_sd_version();
    if (version == VERSION_COUNT) {
        throw_diffusion(env, "not a diffusion model: stable-diffusion.cpp recognises no model family in " +
                                 (paths[0].empty() ? paths[1] : paths[0]) +
                                 " (a text LLM or another kind of GGUF/safetensors file?)");
        return nullptr;
    }
    if (version == VERSION_ESRGAN) {
        throw_diffusion(env, "not a diffusion model: " + (paths[0].empty() ? paths[1] : paths[0]) +
                                 " is an ESRGAN upscaler");
        return nullptr;
    }
    std::vector<std::string> out{family_of(version), model_version_to_str[version]};
    for (auto &vocabulary : needed_vocabularies(version, loader.get_tensor_storage_map())) {
        out.push_back(vocabulary);
    }
    return to_byte_arrays(env, out);
    IMAGE_GUARD_END(env, nullptr)
}
