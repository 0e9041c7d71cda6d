package io.llamabox.image.engine;

/**
 * The sampling steps, guidance scale and edit strength a model family gets when neither the command line nor the request
 * names them. Sampler and schedule are stable-diffusion.cpp's own choice for the model (its
 * {@code sd_get_default_sample_method} and {@code sd_get_default_scheduler}), as {@code sd-cli} makes it.
 *
 * <ul>
 * <li>UNet models (SD 1.x, SD 2.x, SDXL and the like): 20 steps, CFG 7, the values {@code sd-cli} uses;</li>
 * <li>SD3: 28 steps, CFG 4.5 (the spec's example request for an SD 3.5 model);</li>
 * <li>guidance-distilled flow models (FLUX and its kin): 20 steps, CFG 1 (off: their guidance is the
 *     distilled {@code guidance}).</li>
 * </ul>
 * Edits noise the picture to strength 0.75 ({@code sd-cli}'s default), except on inpainting and fill models
 * (whose UNet sees the kept part of the picture and the mask), where the masked part is drawn anew: 1.0.
 */
record FamilyDefaults(int steps, double cfgScale, double strength) {
    private static final double EDIT_STRENGTH = 0.75;

    /**
     * @param family  the family, as {@code ModelInspection.family()} names it
     * @param version stable-diffusion.cpp's name of the model version ({@code SD 1.x Inpaint}, {@code Flux Fill}...)
     */
    static FamilyDefaults of(String family, String version) {
        String v = version.toLowerCase(java.util.Locale.ROOT);
        double strength = v.contains("inpaint") || v.contains("fill") ? 1.0 : EDIT_STRENGTH;
        return switch (family) {
            case "SD3" -> new FamilyDefaults(28, 4.5, strength);
            case "FLUX", "FLUX2", "CHROMA", "Z_IMAGE", "QWEN_IMAGE", "OVIS_IMAGE" ->
                    new FamilyDefaults(20, 1.0, strength);
            default -> new FamilyDefaults(20, 7.0, strength);
        };
    }
}
