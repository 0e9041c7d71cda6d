package io.llamabox.testkit.model;

/**
 * Ids of the special tokens in the generated vocabularies. They do not depend on the vocabulary
 * size or on the options.
 *
 * <p>Decoders (llama with an SPM vocabulary, qwen2 with a GPT-2 style BPE vocabulary):
 * <pre>
 * id  SPM (llama)        BPE (qwen2)            role
 *  0  &lt;unk&gt;              &lt;unk&gt;                  unknown
 *  1  &lt;s&gt;                &lt;|begin_of_text|&gt;      bos (added by the llama tokenizer, not by qwen2's)
 *  2  &lt;/s&gt;               &lt;|endoftext|&gt;          eos
 *  3  &lt;pad&gt;              &lt;|pad|&gt;                padding
 *  4  &lt;|im_start|&gt;       &lt;|im_start|&gt;           ChatML
 *  5  &lt;|im_end|&gt;         &lt;|im_end|&gt;             ChatML, eot
 *  6  &lt;|fim_prefix|&gt;     &lt;|fim_prefix|&gt;         FIM prefix   (with the fim option, otherwise &lt;|reserved_0|&gt;)
 *  7  &lt;|fim_suffix|&gt;     &lt;|fim_suffix|&gt;         FIM suffix   (otherwise &lt;|reserved_1|&gt;)
 *  8  &lt;|fim_middle|&gt;     &lt;|fim_middle|&gt;         FIM middle   (otherwise &lt;|reserved_2|&gt;)
 *  9  &lt;|fim_pad|&gt;        &lt;|fim_pad|&gt;            FIM padding  (otherwise &lt;|reserved_3|&gt;)
 * 10..265                                         the 256 byte tokens (&lt;0x00&gt;.. in SPM, byte-level characters in BPE)
 * </pre>
 * All of 0..9 are control tokens except {@code <unk>}, whose type is UNKNOWN.
 *
 * <p>BERT encoders (WordPiece): 0 [PAD], 1 [UNK], 2 [CLS] (also bos), 3 [SEP] (also eos), 4 [MASK].
 */
public final class SpecialTokens {

    public static final int UNK = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;
    public static final int PAD = 3;
    public static final int IM_START = 4;
    public static final int IM_END = 5;
    /** End of turn: the ChatML {@code <|im_end|>}. */
    public static final int EOT = IM_END;
    public static final int FIM_PRE = 6;
    public static final int FIM_SUF = 7;
    public static final int FIM_MID = 8;
    public static final int FIM_PAD = 9;
    /** Id of the byte token for byte 0; byte {@code b} is {@code FIRST_BYTE + b}. */
    public static final int FIRST_BYTE = 10;
    /** First id after the byte tokens. */
    public static final int FIRST_PIECE = FIRST_BYTE + 256;

    public static final int BERT_PAD = 0;
    public static final int BERT_UNK = 1;
    public static final int BERT_CLS = 2;
    public static final int BERT_SEP = 3;
    public static final int BERT_MASK = 4;

    private SpecialTokens() {
    }
}
