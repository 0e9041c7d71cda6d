package io.llamabox.config;

import java.util.Optional;

/** Denoiser sigma schedule of the image engine ({@code --image-schedule-method}). */
public enum ImageScheduleMethod {
    DEFAULT("default"),
    DISCRETE("discrete"),
    KARRAS("karras"),
    EXPONENTIAL("exponential"),
    AYS("ays"),
    GITS("gits");

    private final String label;

    ImageScheduleMethod(String label) {
        this.label = label;
    }

    /** The spelling used on the command line and in requests. */
    public String label() {
        return label;
    }

    /** The constant whose label is {@code text}, if any. */
    public static Optional<ImageScheduleMethod> fromLabel(String text) {
        return Labels.find(ImageScheduleMethod.class, ImageScheduleMethod::label, text);
    }

    /** Every label, comma-separated, for messages. */
    public static String labels() {
        return Labels.list(ImageScheduleMethod.class, ImageScheduleMethod::label);
    }
}
