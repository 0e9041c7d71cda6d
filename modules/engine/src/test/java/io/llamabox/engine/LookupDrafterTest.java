package io.llamabox.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.engine.NgramCache.Ngram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the n-gram lookup proposes from the history, the static cache and the dynamic cache. */
class LookupDrafterTest {
    private static final int VOCAB = 64;

    @TempDir
    Path dir;

    private static Slot slot(int... history) {
        Slot s = new Slot(0, 256);
        System.arraycopy(history, 0, s.tokens, 0, history.length);
        s.nPast = history.length;
        return s;
    }

    @Test
    void proposesWhatFollowedTheSameTokensEarlier() {
        LookupDrafter d = new LookupDrafter(1);
        assertArrayEquals(new int[] {9, 1, 2, 3, 4}, d.draft(slot(1, 2, 3, 4, 9, 1, 2, 3), 4, 5));
        assertArrayEquals(new int[] {9}, d.draft(slot(1, 2, 3, 4, 9, 1, 2, 3), 4, 1));
    }

    @Test
    void proposesNothingWithoutARepeat() {
        LookupDrafter d = new LookupDrafter(1);
        assertArrayEquals(new int[0], d.draft(slot(1, 2, 3, 4, 5, 6, 7), 8, 5));
    }

    @Test
    void theMinimumNgramSizeIsHonoured() {
        // only the single token 7 matches: a lookup that needs 2 tokens has nothing to match
        assertEquals(0, new LookupDrafter(2).draft(slot(7, 8, 1, 7, 8, 2, 3), 7, 4).length);
        assertEquals(8, new LookupDrafter(1).draft(slot(7, 8, 1, 7, 8, 2, 3), 7, 4)[0]);
    }

    @Test
    void aShorterHistoryIsReadAfresh() {
        LookupDrafter d = new LookupDrafter(1);
        Slot s = slot(1, 2, 3, 4, 9, 1, 2, 3);
        assertEquals(9, d.draft(s, 4, 1)[0]);
        // a context shift rewrote the history: what followed before must not be proposed any more
        s.tokens[0] = 20;
        s.tokens[1] = 21;
        s.tokens[2] = 22;
        s.nPast = 3;
        assertEquals(0, d.draft(s, 23, 4).length);
    }

    @Test
    void theStaticCacheProposesWhereTheHistoryCannot() throws IOException {
        NgramCache st = new NgramCache();
        st.add(new Ngram(10, 11, -1, -1), 12, 5);
        st.add(new Ngram(11, 12, -1, -1), 13, 3);
        st.add(new Ngram(11, 12, -1, -1), 14, 1);
        Path f = dir.resolve("static.bin");
        st.write(f);
        LookupDrafter d = LookupDrafter.open(1, f, null, VOCAB);
        assertArrayEquals(new int[] {12, 13}, d.draft(slot(3, 10), 11, 4));
    }

    @Test
    void theStaticCacheWeighsTheCandidatesOfTheHistory() throws IOException {
        // the history saw 6 and 7 after (4, 5) twice each; the static cache knows 7 (once) and 8 (often) there
        NgramCache st = new NgramCache();
        st.add(new Ngram(4, 5, -1, -1), 7, 1);
        st.add(new Ngram(4, 5, -1, -1), 8, 5);
        Path f = dir.resolve("weights.bin");
        st.write(f);
        int[] history = {1, 4, 5, 6, 2, 4, 5, 7, 3, 4, 5, 6, 9, 4, 5, 7, 8, 4};
        assertEquals(6, new LookupDrafter(1).draft(slot(history), 5, 1)[0], "the first of equals without weights");
        assertEquals(7, LookupDrafter.open(1, f, null, VOCAB).draft(slot(history), 5, 1)[0],
                "the static count tips the balance; alone it would have proposed 8");
    }

    @Test
    void theDynamicCacheLearnsFromFinishedRequestsAndIsSavedAtClose() throws IOException {
        Path f = dir.resolve("dynamic.bin");
        LookupDrafter d = LookupDrafter.open(1, null, f, VOCAB);
        int[] answer = {30, 31, 32, 33, 34, 35, 36};
        // a new request whose history has not seen the answer gets nothing from it yet
        assertEquals(0, d.draft(slot(1, 2, 30), 31, 4).length);
        d.finished(slot(1, 2, 30, 31, 32, 33, 34, 35, 36));
        d.finished(slot(5, 6, 30, 31, 32, 33, 34, 35, 36));
        assertFalse(Files.exists(f), "saved at close, not after every request");
        d.close();
        assertTrue(Files.size(f) > 0);

        LookupDrafter again = LookupDrafter.open(1, null, f, VOCAB);
        assertArrayEquals(new int[] {33, 34, 35, 36}, again.draft(slot(8, 30, 31), 32, 4),
                "n-grams of three and four tokens seen twice are proposed");
        NgramCache saved = NgramCache.read(f, VOCAB);
        assertEquals(2, saved.get(new Ngram(answer[0], answer[1], -1, -1)).countOf(answer[2]));
    }

    @Test
    void onceSeenIsNotEnoughForTheDynamicCache() throws IOException {
        Path f = dir.resolve("once.bin");
        LookupDrafter d = LookupDrafter.open(1, null, f, VOCAB);
        d.finished(slot(1, 2, 30, 31, 32, 33, 34, 35, 36));
        assertEquals(0, d.draft(slot(8, 30, 31), 32, 4).length);
    }

    @Test
    void unusableFilesStopTheStart() throws IOException {
        Path missing = dir.resolve("missing.bin");
        assertThrows(IllegalArgumentException.class, () -> LookupDrafter.open(1, missing, null, VOCAB));
        Path bad = dir.resolve("bad.bin");
        Files.write(bad, new byte[] {1, 2, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LookupDrafter.open(1, null, bad, VOCAB));
        assertTrue(e.getMessage().contains("not a lookup cache"), e.getMessage());
        NgramCache big = new NgramCache();
        big.add(new Ngram(1, 2, -1, -1), VOCAB + 5, 1);
        Path other = dir.resolve("other-vocab.bin");
        big.write(other);
        assertThrows(IllegalArgumentException.class, () -> LookupDrafter.open(1, other, null, VOCAB));
        Path noFolder = dir.resolve("nope/dynamic.bin");
        assertThrows(IllegalArgumentException.class, () -> LookupDrafter.open(1, null, noFolder, VOCAB));
    }
}
