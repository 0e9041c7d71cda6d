package io.llamabox.config;

import java.util.Optional;

/** Sampling method of the image engine ({@code --image-sample-method}). */
public enum ImageSampleMethod {
    EULER_A("euler_a"),
    EULER("euler"),
    HEUN("heun"),
    DPM2("dpm2"),
    DPMPP_2S_A("dpm++2s_a"),
    DPMPP_2M("dpm++2m"),
    DPMPP_2MV2("dpm++2mv2"),
    IPNDM("ipndm"),
    IPNDM_V("ipndm_v"),
    LCM("lcm"),
    DDIM_TRAILING("ddim_trailing"),
    TCD("tcd");

    private final String label;

    ImageSampleMethod(String label) {
        this.label = label;
    }

    /** The spelling used on the command line and in requests. */
    public String label() {
        return label;
    }

    /** The constant whose label is {@code text}, if any. */
    public static Optional<ImageSampleMethod> fromLabel(String text) {
        return Labels.find(ImageSampleMethod.class, ImageSampleMethod::label, text);
    }

    /** Every label, comma-separated, for messages. */
    public static String labels() {
        return Labels.list(ImageSampleMethod.class, ImageSampleMethod::label);
    }
}
