package io.llamabox.image.jni;

import java.util.Set;

/**
 * The model's text encoder needs a tokenizer vocabulary that this build of {@code libllamabox-image}
 * does not carry (the vendored stable-diffusion.cpp lacks all but CLIP's).
 */
public final class MissingVocabularyException extends DiffusionException {
    private final String family;
    private final Set<String> missing;

    public MissingVocabularyException(String family, String version, Set<String> missing) {
        super("the " + version + " model's text encoder needs the tokenizer vocabular"
                + (missing.size() == 1 ? "y " : "ies ") + String.join(", ", missing)
                + ", which this build of libllamabox-image lacks (it has: "
                + String.join(", ", DiffusionLibrary.vocabularies()) + "). Build it from a complete"
                + " stable-diffusion.cpp checkout at commit " + DiffusionLibrary.PINNED_COMMIT
                + ": mvn -pl modules/image-jni -Dllamabox.image.sd.source=/path/to/stable-diffusion.cpp"
                + " (CMake: -DLLAMABOX_SD_SOURCE_DIR=...)");
        this.family = family;
        this.missing = Set.copyOf(missing);
    }

    /** The model family, as {@link ModelInspection#family()} names it. */
    public String family() {
        return family;
    }

    /** The vocabularies the model needs and the library lacks. */
    public Set<String> missing() {
        return missing;
    }
}
