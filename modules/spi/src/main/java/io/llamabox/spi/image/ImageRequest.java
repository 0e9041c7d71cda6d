package io.llamabox.spi.image;

import java.util.Map;
import java.util.Objects;

/**
 * One generation of {@code count} images from a text prompt (and, for an edit, a picture), every setting resolved (the HTTP layer has
 * validated the values and applied the defaults).
 *
 * @param requestId the request's id, for log lines
 * @param prompt what to draw
 * @param negativePrompt what to steer away from (may be empty)
 * @param width width in pixels
 * @param height height in pixels
 * @param count how many images
 * @param sampleMethod sampler name
 * @param schedule sigma schedule name ({@code default}: the sampler's own)
 * @param steps sampling steps
 * @param cfgScale classifier-free guidance scale
 * @param guidance distilled guidance
 * @param seed the seed of the first image; image {@code i} uses {@code seed + i}
 * @param loraScales LoRA adapter id to scale; adapters left out are off
 * @param preview whether and how step previews are made
 * @param edit the picture an edit starts from, at {@code width} x {@code height}; null for a generation
 */
public record ImageRequest(String requestId, String prompt, String negativePrompt, int width, int height, int count,
        String sampleMethod, String schedule, int steps, double cfgScale, double guidance, long seed,
        Map<Integer, Float> loraScales, ImagePreview preview, ImageEdit edit) {
    public ImageRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(negativePrompt, "negativePrompt");
        Objects.requireNonNull(sampleMethod, "sampleMethod");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(preview, "preview");
        loraScales = Map.copyOf(loraScales);
        if (width < 1 || height < 1 || count < 1 || steps < 1) {
            throw new IllegalArgumentException("width, height, count and steps must be positive");
        }
        if (edit != null && (edit.width() != width || edit.height() != height)) {
            throw new IllegalArgumentException("the picture to edit is " + edit.width() + "x" + edit.height()
                    + ", the request " + width + "x" + height);
        }
    }

    /** A generation from text alone. */
    public ImageRequest(String requestId, String prompt, String negativePrompt, int width, int height, int count,
            String sampleMethod, String schedule, int steps, double cfgScale, double guidance, long seed,
            Map<Integer, Float> loraScales, ImagePreview preview) {
        this(requestId, prompt, negativePrompt, width, height, count, sampleMethod, schedule, steps, cfgScale, guidance,
                seed, loraScales, preview, null);
    }
}
