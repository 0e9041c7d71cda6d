package io.llamabox.chat;

import java.util.Objects;

/**
 * The model's begin/end-of-sequence token texts, which templates see as {@code bos_token} and
 * {@code eos_token}, and whether its tokenizer adds them itself. When it does, a rendered prompt that
 * starts with the BOS text (ends with the EOS text) has it removed, so it is not there twice.
 *
 * @param bos    text of the BOS token, empty when the model has none
 * @param eos    text of the EOS token, empty when the model has none
 * @param addBos whether tokenization adds BOS (GGUF {@code tokenizer.ggml.add_bos_token})
 * @param addEos whether tokenization adds EOS (GGUF {@code tokenizer.ggml.add_eos_token})
 */
public record SpecialTokens(String bos, String eos, boolean addBos, boolean addEos) {

    /** No special tokens, nothing added. */
    public static final SpecialTokens NONE = new SpecialTokens("", "", false, false);

    public SpecialTokens {
        Objects.requireNonNull(bos, "bos");
        Objects.requireNonNull(eos, "eos");
    }
}
