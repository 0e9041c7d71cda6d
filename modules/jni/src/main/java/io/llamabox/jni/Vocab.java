package io.llamabox.jni;

/**
 * A model's vocabulary: special tokens, tokenization and pieces. Safe to use from any thread while
 * the model is open. Token ids are checked before they reach native code.
 */
public final class Vocab {
    /** llama.cpp's "no such token". */
    public static final int NULL_TOKEN = -1;

    private final Model model;
    private final int size;
    private final int bos, eos, eot, sep, nl, pad, fimPre, fimSuf, fimMid, fimPad, fimRep, fimSep;
    private final boolean addBos, addEos, addSep;

    Vocab(Model model, int size) {
        this.model = model;
        this.size = size;
        int[] s = Natives.vocabSpecials(model.pointer());
        bos = s[0];
        eos = s[1];
        eot = s[2];
        sep = s[3];
        nl = s[4];
        pad = s[5];
        fimPre = s[6];
        fimSuf = s[7];
        fimMid = s[8];
        fimPad = s[9];
        fimRep = s[10];
        fimSep = s[11];
        addBos = s[12] != 0;
        addEos = s[13] != 0;
        addSep = s[14] != 0;
    }

    public int size() {
        return size;
    }

    public int bos() { return bos; }
    public int eos() { return eos; }
    public int eot() { return eot; }
    public int sep() { return sep; }
    public int nl() { return nl; }
    public int pad() { return pad; }
    public int fimPrefix() { return fimPre; }
    public int fimSuffix() { return fimSuf; }
    public int fimMiddle() { return fimMid; }
    public int fimPad() { return fimPad; }
    public int fimRepo() { return fimRep; }
    public int fimSeparator() { return fimSep; }
    public boolean addsBos() { return addBos; }
    public boolean addsEos() { return addEos; }
    public boolean addsSep() { return addSep; }

    /** Whether the model has the three fill-in-the-middle tokens. */
    public boolean hasFim() {
        return fimPre != NULL_TOKEN && fimSuf != NULL_TOKEN && fimMid != NULL_TOKEN;
    }

    public boolean isValid(int token) {
        return token >= 0 && token < size;
    }

    /** Throws {@link IllegalArgumentException} unless {@code token} is in {@code [0, size)}. */
    public void check(int token) {
        if (token < 0 || token >= size) {
            throw new IllegalArgumentException("token id " + token + " is out of range [0, " + size + ")");
        }
    }

    /** End of generation (EOS, EOT and the like). */
    public boolean isEndOfGeneration(int token) {
        check(token);
        return Natives.vocabIsEog(model.pointer(), token);
    }

    /** {@code enum llama_token_attr} bits of a token. */
    public int attributes(int token) {
        check(token);
        return Natives.vocabAttributes(model.pointer(), token);
    }

    /** Whether the token is a control token (attribute bit 3). */
    public boolean isControl(int token) {
        return (attributes(token) & (1 << 3)) != 0;
    }

    /** The token's raw text as stored in the vocabulary. */
    public String text(int token) {
        check(token);
        return Text.string(Natives.vocabText(model.pointer(), token));
    }

    public float score(int token) {
        check(token);
        return Natives.vocabScore(model.pointer(), token);
    }

    public int[] tokenize(String text, boolean addSpecial, boolean parseSpecial) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        int[] out = Natives.tokenize(model.pointer(), Text.utf8(text), addSpecial, parseSpecial);
        if (out == null) {
            throw new LlamaException("tokenization failed (text too long)");
        }
        return out;
    }

    /** The bytes a token renders to (may be part of a UTF-8 sequence). */
    public byte[] piece(int token, boolean special) {
        check(token);
        return Natives.tokenToPiece(model.pointer(), token, special);
    }

    /**
     * The text of the tokens' pieces joined as they are generated (what a server streams), unlike
     * {@link #detokenize}, which also applies the tokenizer's clean-up rules (e.g. drops SPM's leading space).
     */
    public String piecesText(int[] tokens, boolean special) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(tokens.length * 4);
        for (int t : tokens) {
            byte[] b = piece(t, special);
            out.write(b, 0, b.length);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    public String detokenize(int[] tokens, boolean removeSpecial, boolean unparseSpecial) {
        for (int t : tokens) {
            check(t);
        }
        return Text.string(Natives.detokenize(model.pointer(), tokens, removeSpecial, unparseSpecial));
    }
}
