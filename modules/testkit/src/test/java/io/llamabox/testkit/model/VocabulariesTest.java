package io.llamabox.testkit.model;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VocabulariesTest {

    @Test
    void decoderVocabulariesShareTheSpecialTokenLayout() {
        for (Vocabulary v : List.of(Vocabularies.spm(2048, true), Vocabularies.bpe(2048, true))) {
            assertEquals(2048, v.size());
            assertEquals(TokenType.UNKNOWN, v.types()[SpecialTokens.UNK]);
            for (int id = SpecialTokens.BOS; id <= SpecialTokens.FIM_PAD; id++) {
                assertEquals(TokenType.CONTROL, v.types()[id], v.tokens().get(id));
                assertTrue(v.isSuppressed(id));
            }
            assertEquals("<|im_start|>", v.tokens().get(SpecialTokens.IM_START));
            assertEquals("<|im_end|>", v.tokens().get(SpecialTokens.IM_END));
            assertEquals("<|fim_middle|>", v.tokens().get(SpecialTokens.FIM_MID));
            assertEquals(new HashSet<>(v.tokens()).size(), v.size(), "token texts are unique");
        }
        assertEquals("<|reserved_2|>", Vocabularies.spm(400, false).tokens().get(SpecialTokens.FIM_MID));
    }

    @Test
    void spmHasByteTokensAndEveryPrefixOfEveryPiece() {
        Vocabulary v = Vocabularies.spm(5000, false);
        for (int b = 0; b < 256; b++) {
            assertEquals(String.format("<0x%02X>", b), v.tokens().get(SpecialTokens.FIRST_BYTE + b));
            assertEquals(TokenType.BYTE, v.types()[SpecialTokens.FIRST_BYTE + b]);
        }
        Set<String> all = new HashSet<>(v.tokens());
        for (int id = SpecialTokens.FIRST_PIECE; id < v.size(); id++) {
            String t = v.tokens().get(id);
            for (int k = 1; k < t.length(); k++) {
                assertTrue(all.contains(t.substring(0, k)), "prefix of " + t);
            }
            assertTrue(v.scores()[id] < 0f);
        }
        for (String w : List.of("\u2581the", "\u2581hello", "\u2581world", "Hello", "\u2581capital", "\u2581France")) {
            assertTrue(v.id(w) >= SpecialTokens.FIRST_PIECE, w);
        }
        assertTrue(v.merges().isEmpty());
        assertTrue(v.isSuppressed(SpecialTokens.FIRST_BYTE + 0x80));
        assertTrue(!v.isSuppressed(SpecialTokens.FIRST_BYTE + '\n'));
    }

    @Test
    void bpeMergesJoinTokensIntoTokens() {
        Vocabulary v = Vocabularies.bpe(5000, false);
        String[] chars = Vocabularies.byteLevelChars();
        assertEquals(256, new HashSet<>(List.of(chars)).size());
        assertEquals("\u0120", chars[' ']);
        assertEquals("\u010A", chars['\n']);
        assertEquals("A", chars['A']);
        for (int b = 0; b < 256; b++) {
            assertEquals(chars[b], v.tokens().get(SpecialTokens.FIRST_BYTE + b));
        }
        Set<String> all = new HashSet<>(v.tokens());
        Set<String> seen = new HashSet<>();
        for (String m : v.merges()) {
            assertTrue(seen.add(m), "duplicate merge " + m);
            String[] parts = m.split(" ");
            assertEquals(2, parts.length, m);
            assertTrue(all.contains(parts[0]) && all.contains(parts[1]) && all.contains(parts[0] + parts[1]), m);
        }
        for (String w : List.of("\u0120the", "\u0120hello", "\u0120world", "user", "\u0120capital")) {
            assertTrue(v.id(w) >= SpecialTokens.FIRST_PIECE, w);
        }
    }

    @Test
    void wordPieceHasWordStartAndContinuationPieces() {
        Vocabulary v = Vocabularies.wordPiece(1024);
        assertEquals(1024, v.size());
        assertEquals(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"), v.tokens().subList(0, 5));
        assertEquals(TokenType.UNKNOWN, v.types()[SpecialTokens.BERT_UNK]);
        assertTrue(v.id("\u2581hello") > 4);
        assertTrue(v.id("\u2581a") > 4);
        assertTrue(v.id("a") > 4);
        assertTrue(v.id("\u2581?") > 4);
        assertEquals(-1, v.id("\u2581A"), "WordPiece input is lower-cased");
    }

    @Test
    void tooSmallVocabularyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Vocabularies.spm(100, false));
    }
}
