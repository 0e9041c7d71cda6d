package io.llamabox.image.jni;

import java.util.Objects;
import java.util.Set;

/**
 * What stable-diffusion.cpp's own loader and version detector make of a model's files.
 *
 * @param family       the model family: {@code SD1}, {@code SD2}, {@code SDXL}, {@code SVD}, {@code SD3},
 *                     {@code FLUX}, {@code FLUX2}, {@code WAN}, {@code QWEN_IMAGE}, {@code Z_IMAGE}, ...
 * @param version      stable-diffusion.cpp's name of the exact version, e.g. {@code SD 1.x Inpaint}
 * @param vocabularies the tokenizer vocabularies its text encoders need ({@code clip}, {@code t5},
 *                     {@code umt5}, {@code qwen2}, {@code mistral}, {@code gemma}, {@code gemma2},
 *                     {@code gpt_oss})
 */
public record ModelInspection(String family, String version, Set<String> vocabularies) {
    public ModelInspection {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(version, "version");
        vocabularies = Set.copyOf(vocabularies);
    }

    /** Whether a text encoder is T5 or UMT5 (SD3, FLUX, Chroma, Wan, ...). */
    public boolean needsT5() {
        return vocabularies.contains("t5") || vocabularies.contains("umt5");
    }
}
