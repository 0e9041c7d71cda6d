package io.llamabox.engine;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * How often each token followed each n-gram of 1 to {@link SpeculativeConfig#NGRAM_MAX} tokens. The file
 * form is llama.cpp's lookup cache ({@code -lcs}, {@code -lcd}, {@code llama-lookup-create}): records
 * of four little-endian int32 n-gram tokens (unused ones -1), an int32 count of entries, then that many
 * (int32 token, int32 count) pairs; no header. Not thread-safe.
 */
final class NgramCache {
    /** An n-gram: its tokens first, unused places -1. */
    record Ngram(int t0, int t1, int t2, int t3) {
        /** The {@code n} tokens of {@code seq} from {@code from}. */
        static Ngram of(int[] seq, int from, int n) {
            return new Ngram(seq[from], n > 1 ? seq[from + 1] : -1, n > 2 ? seq[from + 2] : -1,
                    n > 3 ? seq[from + 3] : -1);
        }
    }

    /** The tokens seen after one n-gram and how often. */
    static final class Followers {
        private int[] tokens = new int[2];
        private int[] counts = new int[2];
        private int size;

        void add(int token, int count) {
            for (int i = 0; i < size; i++) {
                if (tokens[i] == token) {
                    counts[i] = saturatingAdd(counts[i], count);
                    return;
                }
            }
            if (size == tokens.length) {
                tokens = java.util.Arrays.copyOf(tokens, size * 2);
                counts = java.util.Arrays.copyOf(counts, size * 2);
            }
            tokens[size] = token;
            counts[size] = count;
            size++;
        }

        int size() {
            return size;
        }

        int token(int i) {
            return tokens[i];
        }

        int count(int i) {
            return counts[i];
        }

        /** How often {@code token} followed, 0 if never. */
        int countOf(int token) {
            for (int i = 0; i < size; i++) {
                if (tokens[i] == token) {
                    return counts[i];
                }
            }
            return 0;
        }
    }

    private final Map<Ngram, Followers> map = new HashMap<>();

    int size() {
        return map.size();
    }

    Followers get(Ngram ngram) {
        return map.get(ngram);
    }

    void add(Ngram ngram, int token, int count) {
        map.computeIfAbsent(ngram, k -> new Followers()).add(token, count);
    }

    /**
     * Counts, for every position {@code i} in {@code [from, to)} of {@code seq}, the token {@code seq[i]}
     * after each n-gram of {@code nMin} to {@code nMax} tokens ending just before it. N-grams or tokens
     * that are not text (negative values stand for image embeddings) are left out.
     */
    void index(int[] seq, int from, int to, int nMin, int nMax) {
        for (int i = Math.max(from, 1); i < to; i++) {
            int token = seq[i];
            if (token < 0) {
                continue;
            }
            for (int n = nMin; n <= nMax && n <= i; n++) {
                if (!text(seq, i - n, n)) {
                    break; // a longer n-gram ending here holds the same non-text token
                }
                add(Ngram.of(seq, i - n, n), token, 1);
            }
        }
    }

    private static boolean text(int[] seq, int from, int n) {
        for (int j = from; j < from + n; j++) {
            if (seq[j] < 0) {
                return false;
            }
        }
        return true;
    }

    /** Adds every count of {@code other} to this cache. */
    void addAll(NgramCache other) {
        other.map.forEach((ngram, f) -> {
            Followers mine = map.computeIfAbsent(ngram, k -> new Followers());
            for (int i = 0; i < f.size; i++) {
                mine.add(f.tokens[i], f.counts[i]);
            }
        });
    }

    private static int saturatingAdd(int a, int b) {
        long sum = (long) a + b;
        return sum > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) sum;
    }

    /**
     * Reads a cache file, checking every record against the file's length and every token against the
     * vocabulary of {@code nVocab} tokens.
     *
     * @throws IOException when the file cannot be read or is not a lookup cache of this vocabulary; the
     *                     message names the byte offset of the first bad record
     */
    static NgramCache read(Path file, int nVocab) throws IOException {
        long length = Files.size(file);
        NgramCache cache = new NgramCache();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            DataInputStream data = new DataInputStream(in);
            long offset = 0;
            int[] ngram = new int[SpeculativeConfig.NGRAM_MAX];
            while (offset < length) {
                long record = offset;
                if (length - offset < 4L * SpeculativeConfig.NGRAM_MAX + 4) {
                    throw bad(file, record, "the file ends inside a record");
                }
                int n = 0;
                for (int i = 0; i < ngram.length; i++) {
                    ngram[i] = readInt(data);
                    if (ngram[i] != -1) {
                        if (i != n) {
                            throw bad(file, record, "an n-gram token follows an unused place");
                        }
                        checkToken(file, record, ngram[i], nVocab);
                        n++;
                    }
                }
                if (n == 0) {
                    throw bad(file, record, "an empty n-gram");
                }
                int entries = readInt(data);
                offset += 4L * SpeculativeConfig.NGRAM_MAX + 4;
                if (entries <= 0 || (length - offset) / 8 < entries) {
                    throw bad(file, record, "the n-gram has " + entries + " entries, which the file cannot hold");
                }
                Followers f = cache.map.computeIfAbsent(new Ngram(ngram[0], ngram[1], ngram[2], ngram[3]),
                        k -> new Followers());
                for (int e = 0; e < entries; e++) {
                    int token = readInt(data);
                    int count = readInt(data);
                    checkToken(file, record, token, nVocab);
                    if (count <= 0) {
                        throw bad(file, record, "a count of " + count);
                    }
                    f.add(token, count);
                }
                offset += 8L * entries;
            }
        } catch (EOFException e) {
            throw new IOException(file + ": the file ended early (it changed while being read?)", e);
        }
        return cache;
    }

    private static int readInt(DataInputStream in) throws IOException {
        return Integer.reverseBytes(in.readInt());
    }

    private static void checkToken(Path file, long record, int token, int nVocab) throws IOException {
        if (token < 0 || token >= nVocab) {
            throw bad(file, record, "token " + token + " is not in the model's vocabulary of " + nVocab);
        }
    }

    private static IOException bad(Path file, long offset, String what) {
        return new IOException(file + " is not a lookup cache for this model: at byte " + offset + ", " + what);
    }

    /** Writes the cache to {@code file} through a temporary file beside it, so a reader never sees half. */
    void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                DataOutputStream out = new DataOutputStream(os);
                for (Map.Entry<Ngram, Followers> e : map.entrySet()) {
                    Ngram g = e.getKey();
                    Followers f = e.getValue();
                    out.writeInt(Integer.reverseBytes(g.t0()));
                    out.writeInt(Integer.reverseBytes(g.t1()));
                    out.writeInt(Integer.reverseBytes(g.t2()));
                    out.writeInt(Integer.reverseBytes(g.t3()));
                    out.writeInt(Integer.reverseBytes(f.size));
                    for (int i = 0; i < f.size; i++) {
                        out.writeInt(Integer.reverseBytes(f.tokens[i]));
                        out.writeInt(Integer.reverseBytes(f.counts[i]));
                    }
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
