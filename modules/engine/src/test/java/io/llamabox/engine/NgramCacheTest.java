package io.llamabox.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.engine.NgramCache.Ngram;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lookup cache file is llama.cpp's layout, survives a round trip, and hostile files are refused. */
class NgramCacheTest {
    @TempDir
    Path dir;

    private static byte[] ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    private Path file(int... values) throws IOException {
        Path f = Files.createTempFile(dir, "cache", ".bin");
        Files.write(f, ints(values));
        return f;
    }

    @Test
    void readsRecordsOfFourTokensACountAndTokenCountPairs() throws IOException {
        Path f = file(5, 7, -1, -1, 2, 9, 3, 11, 1,
                5, -1, -1, -1, 1, 7, 2);
        NgramCache c = NgramCache.read(f, 100);
        assertEquals(2, c.size());
        assertEquals(3, c.get(new Ngram(5, 7, -1, -1)).countOf(9));
        assertEquals(1, c.get(new Ngram(5, 7, -1, -1)).countOf(11));
        assertEquals(2, c.get(new Ngram(5, -1, -1, -1)).countOf(7));
        assertNull(c.get(new Ngram(7, -1, -1, -1)));
    }

    @Test
    void writesTheSameLayoutItReads() throws IOException {
        NgramCache c = new NgramCache();
        c.add(new Ngram(1, 2, 3, 4), 8, 6);
        Path f = dir.resolve("one.bin");
        c.write(f);
        assertArrayEquals(ints(1, 2, 3, 4, 1, 8, 6), Files.readAllBytes(f));
    }

    @Test
    void indexingThenWritingThenReadingKeepsEveryCount() throws IOException {
        int[] seq = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3, 3, 8, 3, 2, 7};
        NgramCache c = new NgramCache();
        c.index(seq, 0, seq.length, 1, 4);
        Path f = dir.resolve("round.bin");
        c.write(f);
        NgramCache back = NgramCache.read(f, 10);
        assertEquals(c.size(), back.size());
        for (int i = 1; i < seq.length; i++) {
            for (int n = 1; n <= 4 && n <= i; n++) {
                Ngram g = Ngram.of(seq, i - n, n);
                assertEquals(c.get(g).countOf(seq[i]), back.get(g).countOf(seq[i]));
            }
        }
        // "3" is followed by 5, 2, 8 (twice), 3 and 2: counts add up
        assertEquals(2, c.get(new Ngram(3, -1, -1, -1)).countOf(8));
        assertEquals(2, c.get(new Ngram(3, -1, -1, -1)).countOf(2));
    }

    @Test
    void indexingLeavesOutNgramsThatHoldAnImage() {
        int[] seq = {1, 2, -5, -5, 3, 4};
        NgramCache c = new NgramCache();
        c.index(seq, 0, seq.length, 1, 4);
        assertEquals(1, c.get(new Ngram(1, -1, -1, -1)).countOf(2));
        assertEquals(1, c.get(new Ngram(3, -1, -1, -1)).countOf(4));
        assertNull(c.get(new Ngram(-5, -1, -1, -1)));
        assertNull(c.get(new Ngram(-5, 3, -1, -1)));
        assertEquals(2, c.size());
    }

    @Test
    void anEmptyFileIsAnEmptyCache() throws IOException {
        assertEquals(0, NgramCache.read(file(), 10).size());
    }

    private void refused(String why, int... values) throws IOException {
        Path f = file(values);
        IOException e = assertThrows(IOException.class, () -> NgramCache.read(f, 100), why);
        assertTrue(e.getMessage().contains("not a lookup cache") || e.getMessage().contains("ended early"),
                why + ": " + e.getMessage());
    }

    @Test
    void hostileFilesAreRefusedWithTheOffsetOfTheBadRecord() throws IOException {
        refused("ends inside the n-gram", 1, 2);
        refused("ends inside the pairs", 1, 2, 3, 4, 2, 5, 1);
        refused("no entries", 1, 2, 3, 4, 0);
        refused("negative entries", 1, 2, 3, 4, -3);
        refused("more entries than the file holds", 1, 2, 3, 4, Integer.MAX_VALUE, 5, 1);
        refused("a zero count", 1, 2, 3, 4, 1, 5, 0);
        refused("a negative count", 1, 2, 3, 4, 1, 5, -1);
        refused("a follower outside the vocabulary", 1, 2, 3, 4, 1, 100, 1);
        refused("an n-gram token outside the vocabulary", 1, 200, -1, -1, 1, 5, 1);
        refused("a negative token other than -1", 1, -2, -1, -1, 1, 5, 1);
        refused("a token after an unused place", 1, -1, 3, -1, 1, 5, 1);
        refused("an empty n-gram", -1, -1, -1, -1, 1, 5, 1);
        Path f = file(1, 2, 3, 4, 1, 5, 1, 1, 2, 3, 4, 1, 100, 1);
        IOException e = assertThrows(IOException.class, () -> NgramCache.read(f, 100));
        assertTrue(e.getMessage().contains("at byte 28"), e.getMessage());
    }
}
