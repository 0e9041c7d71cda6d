package io.llamabox.image.engine;

/**
 * The sampling steps and guidance scale a model family gets when neither the command line nor the request
 * names them. Sampler and schedule are stable-diffusion.cpp's own choice for the model (its
 * {@code sd_get_default_sample_method} and {@code sd_get_default_scheduler}), as {@code sd-cli} makes it.
 *
 * <ul>
 * <li>UNet models (SD 1.x, SD 2.x, SDXL and the like): 20 steps, CFG 7, the values {@code sd-cli} uses;</li>
 * <li>SD3: 28 steps, CFG 4.5 (the spec's example request for an SD 3.5 model);</li>
 * <li>guidance-distilled flow models (FLUX and its kin): 20 steps, CFG 1 (off: their guidance is the
 *     distilled {@code guidance}).</li>
 * </ul>
 */
record FamilyDefaults(int steps, double cfgScale) {
    static FamilyDefaults of(String family) {
        return switch (family) {
            case "SD3" -> new FamilyDefaults(28, 4.5);
            case "FLUX", "FLUX2", "CHROMA", "Z_IMAGE", "QWEN_IMAGE", "OVIS_IMAGE" -> new FamilyDefaults(20, 1.0);
            default -> new FamilyDefaults(20, 7.0);
        };
    }
}
