package io.llamabox.testkit.model;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the generated vocabularies: an SPM one with byte fallback (llama), a GPT-2 style byte-level
 * BPE one (qwen2) and a WordPiece one (bert). Special token ids are those of {@link SpecialTokens}.
 *
 * <p>After the special and byte tokens come pieces for a list of common English and programming words,
 * then synthetic consonant-vowel pieces until the requested size is reached. Every multi-character
 * piece of the SPM and BPE vocabularies has its prefixes in the vocabulary as well, so the tokenizers
 * can reach it (BPE merges join a prefix and its next character).
 */
public final class Vocabularies {

    /** Word-start marker of SPM and WordPiece vocabularies in GGUF (U+2581). */
    public static final String SPM_SPACE = "\u2581";
    /** The byte-level BPE character for a space (U+0120). */
    public static final String BPE_SPACE = "\u0120";

    static final List<String> WORDS = List.of(
            "the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "by", "for", "with", "from", "is", "are",
            "was", "were", "be", "been", "it", "its", "this", "that", "these", "there", "here", "he", "she", "we",
            "they", "you", "your", "my", "me", "his", "her", "our", "not", "no", "yes", "all", "any", "some", "one",
            "two", "three", "four", "five", "ten", "first", "last", "new", "old", "good", "bad", "big", "small",
            "hello", "world", "hi", "how", "what", "why", "who", "when", "where", "which", "can", "will", "would",
            "should", "could", "may", "do", "does", "did", "have", "has", "had", "make", "made", "say", "said",
            "go", "went", "come", "see", "know", "think", "take", "give", "get", "use", "find", "tell", "ask",
            "work", "call", "try", "need", "feel", "want", "like", "love", "time", "year", "day", "week", "way",
            "man", "woman", "child", "people", "thing", "life", "hand", "part", "place", "case", "point", "number",
            "water", "fire", "earth", "air", "sun", "moon", "star", "sky", "sea", "city", "house", "home", "book",
            "story", "word", "name", "question", "answer", "problem", "system", "model", "data", "text", "token",
            "cat", "dog", "bird", "fish", "tree", "red", "blue", "green", "black", "white", "light", "dark",
            "capital", "France", "Paris", "London", "The", "A", "I", "It", "This", "What", "Hello", "Once", "upon",
            "very", "much", "more", "most", "many", "other", "than", "then", "now", "also", "only", "just", "well",
            "def", "return", "function", "class", "import", "print", "if", "else", "while", "int", "void",
            "true", "false", "null", "var", "let", "const", "public", "static", "new", "string", "list",
            "user", "assistant", "system", "content", "role", "message", "tool", "json", "quick", "brown", "fox",
            "jumps", "over", "lazy", "please", "thank", "thanks", "sorry", "okay", "sure");

    private static final String CONSONANTS = "bcdfghjklmnprstvwz";
    private static final String VOWELS = "aeiou";

    private Vocabularies() {
    }

    /** SPM vocabulary with byte fallback ({@code tokenizer.ggml.model = llama}). */
    public static Vocabulary spm(int size, boolean fim) {
        Builder b = new Builder(size);
        addDecoderSpecials(b, "<unk>", "<s>", "</s>", "<pad>", fim);
        for (int i = 0; i < 256; i++) {
            b.add(String.format("<0x%02X>", i), TokenType.BYTE, 0f, suppressByte(i));
        }
        b.addPiece(SPM_SPACE);
        for (char c = 33; c < 127; c++) {
            b.addPiece(String.valueOf(c));
        }
        fillPieces(b, SPM_SPACE);
        return b.build("llama", "default", List.of());
    }

    /** GPT-2 style byte-level BPE vocabulary ({@code tokenizer.ggml.model = gpt2}, pre-tokenizer {@code qwen2}). */
    public static Vocabulary bpe(int size, boolean fim) {
        Builder b = new Builder(size);
        addDecoderSpecials(b, "<unk>", "<|begin_of_text|>", "<|endoftext|>", "<|pad|>", fim);
        String[] byteChars = byteLevelChars();
        for (int i = 0; i < 256; i++) {
            b.add(byteChars[i], TokenType.NORMAL, 0f, suppressByte(i));
        }
        b.bpe = true;
        fillPieces(b, BPE_SPACE);
        return b.build("gpt2", "qwen2", b.merges);
    }

    /** WordPiece vocabulary ({@code tokenizer.ggml.model = bert}); lower case, as llama.cpp lowercases input. */
    public static Vocabulary wordPiece(int size) {
        Builder b = new Builder(size);
        b.add("[PAD]", TokenType.CONTROL, 0f, true);
        b.add("[UNK]", TokenType.UNKNOWN, 0f, true);
        b.add("[CLS]", TokenType.CONTROL, 0f, true);
        b.add("[SEP]", TokenType.CONTROL, 0f, true);
        b.add("[MASK]", TokenType.CONTROL, 0f, true);
        for (char c = 33; c < 127; c++) {
            if (c >= 'A' && c <= 'Z') {
                continue;
            }
            b.addPlain(SPM_SPACE + c);
            b.addPlain(String.valueOf(c));
        }
        for (String w : WORDS) {
            b.addPlain(SPM_SPACE + w.toLowerCase(java.util.Locale.ROOT));
        }
        for (int len = 1; !b.full(); len++) {
            enumerateSyllables(len, s -> {
                b.addPlain(SPM_SPACE + s);
                b.addPlain(s);
            }, b);
        }
        return b.build("bert", "default", List.of());
    }

    private static void addDecoderSpecials(Builder b, String unk, String bos, String eos, String pad, boolean fim) {
        b.add(unk, TokenType.UNKNOWN, 0f, true);
        b.add(bos, TokenType.CONTROL, 0f, true);
        b.add(eos, TokenType.CONTROL, 0f, true);
        b.add(pad, TokenType.CONTROL, 0f, true);
        b.add("<|im_start|>", TokenType.CONTROL, 0f, true);
        b.add("<|im_end|>", TokenType.CONTROL, 0f, true);
        String[] fimTokens = {"<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>", "<|fim_pad|>"};
        for (int i = 0; i < fimTokens.length; i++) {
            b.add(fim ? fimTokens[i] : "<|reserved_" + i + "|>", TokenType.CONTROL, 0f, true);
        }
        if (b.size() != SpecialTokens.FIRST_BYTE) {
            throw new IllegalStateException("special token layout changed");
        }
    }

    private static boolean suppressByte(int b) {
        return !(b == '\n' || b == '\t' || (b >= 32 && b < 127));
    }

    private static void fillPieces(Builder b, String space) {
        for (String w : WORDS) {
            b.addPiece(space + w);
            b.addPiece(w);
        }
        for (int len = 1; !b.full(); len++) {
            enumerateSyllables(len, s -> {
                b.addPiece(space + s);
                b.addPiece(s);
            }, b);
        }
    }

    /** Calls {@code sink} for every sequence of {@code len} consonant-vowel syllables, until {@code b} is full. */
    private static void enumerateSyllables(int len, java.util.function.Consumer<String> sink, Builder b) {
        int n = CONSONANTS.length() * VOWELS.length();
        int[] digits = new int[len];
        StringBuilder sb = new StringBuilder();
        while (!b.full()) {
            sb.setLength(0);
            for (int d : digits) {
                sb.append(CONSONANTS.charAt(d / VOWELS.length())).append(VOWELS.charAt(d % VOWELS.length()));
            }
            sink.accept(sb.toString());
            int k = len - 1;
            while (k >= 0 && ++digits[k] == n) {
                digits[k] = 0;
                k--;
            }
            if (k < 0) {
                return;
            }
        }
    }

    /**
     * GPT-2's byte-to-character table: printable Latin-1 bytes stand for themselves, the others are
     * mapped in order to U+0100 and up.
     */
    public static String[] byteLevelChars() {
        String[] out = new String[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            out[b] = String.valueOf((char) (printable ? b : next++));
        }
        return out;
    }

    private static final class Builder {
        final int capacity;
        final List<String> tokens = new ArrayList<>();
        final List<Float> scores = new ArrayList<>();
        final List<TokenType> types = new ArrayList<>();
        final BitSet suppressed = new BitSet();
        final Map<String, Integer> ids = new HashMap<>();
        final List<String> merges = new ArrayList<>();
        final Map<String, Integer> mergeRanks = new HashMap<>();
        boolean bpe;
        int pieces;

        Builder(int capacity) {
            this.capacity = capacity;
        }

        int size() {
            return tokens.size();
        }

        boolean full() {
            return tokens.size() >= capacity;
        }

        void add(String text, TokenType type, float score, boolean suppress) {
            if (full()) {
                throw new IllegalArgumentException("vocabulary size " + capacity + " is too small for the "
                        + "special and byte tokens (at least " + (SpecialTokens.FIRST_PIECE + 1) + ")");
            }
            if (ids.putIfAbsent(text, tokens.size()) != null) {
                throw new IllegalStateException("duplicate token " + text);
            }
            if (suppress) {
                suppressed.set(tokens.size());
            }
            tokens.add(text);
            scores.add(score);
            types.add(type);
        }

        /** A normal token without prefix closure (WordPiece). */
        void addPlain(String text) {
            if (full() || ids.containsKey(text)) {
                return;
            }
            add(text, TokenType.NORMAL, 0f, false);
        }

        /**
         * A normal token; scores fall with insertion order. For SPM its prefixes are added first. For
         * BPE the token is segmented with the merges so far and merges joining the segments left to
         * right are appended (with the intermediate tokens): they rank after every earlier merge, so
         * the tokenizer reaches the whole token.
         */
        void addPiece(String text) {
            if (full() || ids.containsKey(text)) {
                return;
            }
            if (bpe) {
                List<String> segments = segment(text);
                String current = segments.getFirst();
                for (int i = 1; i < segments.size(); i++) {
                    String next = current + segments.get(i);
                    if (!ids.containsKey(next)) {
                        if (full()) {
                            return;
                        }
                        add(next, TokenType.NORMAL, -(float) ++pieces, false);
                    }
                    String merge = current + " " + segments.get(i);
                    if (!mergeRanks.containsKey(merge)) {
                        mergeRanks.put(merge, merges.size());
                        merges.add(merge);
                    }
                    current = next;
                }
                return;
            }
            for (int k = 1; k < text.length(); k++) {
                addPiece(text.substring(0, k));
            }
            if (!full()) {
                add(text, TokenType.NORMAL, -(float) ++pieces, false);
            }
        }

        /** Byte-level BPE with the merges so far: repeatedly joins the adjacent pair of lowest rank. */
        private List<String> segment(String text) {
            List<String> symbols = new ArrayList<>();
            for (int i = 0; i < text.length(); i++) {
                symbols.add(String.valueOf(text.charAt(i)));
            }
            while (symbols.size() > 1) {
                int best = -1;
                int bestRank = Integer.MAX_VALUE;
                for (int i = 0; i + 1 < symbols.size(); i++) {
                    Integer r = mergeRanks.get(symbols.get(i) + " " + symbols.get(i + 1));
                    if (r != null && r < bestRank) {
                        bestRank = r;
                        best = i;
                    }
                }
                if (best < 0) {
                    break;
                }
                symbols.set(best, symbols.get(best) + symbols.remove(best + 1));
            }
            return symbols;
        }

        Vocabulary build(String model, String pre, List<String> merges) {
            float[] s = new float[scores.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = scores.get(i);
            }
            return new Vocabulary(model, pre, tokens, s, types.toArray(TokenType[]::new), merges, suppressed);
        }
    }
}
