package io.llamabox.config;

import java.util.List;
import java.util.Optional;

/**
 * One stage of the sampler chain, named as in {@code --samplers} and lettered as in
 * {@code --sampling-seq}; both spellings come from llama.cpp's common sampler names.
 */
public enum SamplerType {
    PENALTIES("penalties", 'e'),
    DRY("dry", 'd'),
    TOP_K("top_k", 'k', "top-k"),
    TYPICAL_P("typ_p", 'y', "typ-p", "typical_p", "typical-p", "typical", "typ"),
    TOP_P("top_p", 'p', "top-p", "nucleus"),
    MIN_P("min_p", 'm', "min-p"),
    XTC("xtc", 'x'),
    TEMPERATURE("temperature", 't', "temp"),
    TOP_N_SIGMA("top_n_sigma", 's', "top-n-sigma"),
    INFILL("infill", 'i');

    /** The chain used when neither {@code --samplers} nor {@code --sampling-seq} is given. */
    public static final List<SamplerType> DEFAULT_CHAIN =
            List.of(PENALTIES, DRY, TOP_K, TYPICAL_P, TOP_P, MIN_P, XTC, TEMPERATURE);

    private final String label;
    private final char letter;
    private final List<String> alternativeNames;

    SamplerType(String label, char letter, String... alternativeNames) {
        this.label = label;
        this.letter = letter;
        this.alternativeNames = List.of(alternativeNames);
    }

    /** The canonical name, as {@code --samplers} and requests write it. */
    public String label() {
        return label;
    }

    /** The letter that stands for this stage in {@code --sampling-seq}. */
    public char letter() {
        return letter;
    }

    /** The stage named {@code name}, by its canonical name or a common alternative (e.g. "nucleus"). */
    public static Optional<SamplerType> fromName(String name) {
        for (SamplerType t : values()) {
            if (t.label.equals(name) || t.alternativeNames.contains(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The stage lettered {@code letter}, if any. */
    public static Optional<SamplerType> fromLetter(char letter) {
        for (SamplerType t : values()) {
            if (t.letter == letter) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Every canonical name, comma-separated, for messages. */
    public static String labels() {
        return Labels.list(SamplerType.class, SamplerType::label);
    }
}
