package io.llamabox.engine;

import io.llamabox.engine.NgramCache.Followers;
import io.llamabox.engine.NgramCache.Ngram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N-gram lookup drafting, token by token, from three sources of statistics: the slot's own history
 * (prompt and output, n-grams of {@code ngramMin} to {@link SpeculativeConfig#NGRAM_MAX} tokens), the
 * dynamic cache ({@code -lcd}: what earlier requests produced, loaded at start, grown by every finished
 * request and saved), and the static cache ({@code -lcs}: bigrams of a corpus, read only). The longest
 * n-gram of the history whose followers are frequent enough proposes the next token; the dynamic cache is
 * asked with stricter limits, the static one last. Where the static cache knows the last two tokens, its
 * counts weigh the candidates of the other two. Works well when the output repeats its input (summaries,
 * code edits, extraction).
 */
final class LookupDrafter implements Drafter {
    private static final Logger LOG = LoggerFactory.getLogger(LookupDrafter.class);

    /** Size of the n-grams of the static cache (llama.cpp's LLAMA_NGRAM_STATIC). */
    static final int STATIC_NGRAM = 2;
    /** Per n-gram size (1..4): fewest observations and least share (%) of the best follower. */
    private static final int[] LAX_SAMPLES = {2, 2, 1, 1};
    private static final int[] LAX_PERCENT = {66, 50, 50, 50};
    private static final int[] STRICT_SAMPLES = {4, 3, 2, 2};
    private static final int[] STRICT_PERCENT = {75, 66, 66, 66};
    /** The dynamic cache is saved after a finished request at most this often, and at close. */
    private static final long SAVE_INTERVAL_NANOS = 60_000_000_000L;

    /** What the drafter knows of one slot's current task. */
    private static final class History {
        final Task task;
        final NgramCache cache = new NgramCache();
        int indexed;

        History(Task task) {
            this.task = task;
        }
    }

    private final int ngramMin;
    private final NgramCache staticCache;
    private final NgramCache dynamicCache;
    private final Path dynamicFile;
    private History[] histories = new History[0];
    private int[] seq = new int[0];
    private boolean dirty;
    private long savedAt = System.nanoTime();

    LookupDrafter(int ngramMin) {
        this(ngramMin, null, null, null);
    }

    private LookupDrafter(int ngramMin, NgramCache staticCache, NgramCache dynamicCache, Path dynamicFile) {
        this.ngramMin = Math.max(1, ngramMin);
        this.staticCache = staticCache;
        this.dynamicCache = dynamicCache;
        this.dynamicFile = dynamicFile;
    }

    /**
     * A drafter with the cache files of {@code -lcs} and {@code -lcd} (either may be null). The dynamic
     * file is read when it exists and is created at the first save otherwise.
     *
     * @throws IllegalArgumentException when a file is unreadable, is not a lookup cache of this
     *                                  vocabulary, or the dynamic file's folder is not writable
     */
    static LookupDrafter open(int ngramMin, Path staticFile, Path dynamicFile, int nVocab) {
        NgramCache st = null;
        NgramCache dyn = null;
        try {
            if (staticFile != null) {
                if (!Files.isRegularFile(staticFile)) {
                    throw new IllegalArgumentException("static lookup cache " + staticFile + " is not a file");
                }
                st = NgramCache.read(staticFile, nVocab);
                LOG.info("static lookup cache {}: {} n-grams", staticFile, st.size());
            }
            if (dynamicFile != null) {
                Path dir = dynamicFile.toAbsolutePath().getParent();
                if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
                    throw new IllegalArgumentException("dynamic lookup cache " + dynamicFile
                            + ": its folder does not exist or is not writable");
                }
                if (Files.exists(dynamicFile)) {
                    dyn = NgramCache.read(dynamicFile, nVocab);
                    LOG.info("dynamic lookup cache {}: {} n-grams", dynamicFile, dyn.size());
                } else {
                    dyn = new NgramCache();
                    LOG.info("dynamic lookup cache {} does not exist yet; it is written as requests finish",
                            dynamicFile);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new LookupDrafter(ngramMin, st, dyn, dynamicFile);
    }

    @Override
    public int[] draft(Slot slot, int pending, int max) {
        History h = sync(slot);
        int len = slot.nPast + 1;
        if (seq.length < len + max) {
            seq = new int[Math.max(len + max, seq.length * 2)];
        }
        System.arraycopy(slot.tokens, 0, seq, 0, slot.nPast);
        seq[slot.nPast] = pending;
        int n = 0;
        while (n < max) {
            int token = next(h.cache, len + n);
            if (token < 0) {
                break;
            }
            seq[len + n] = token;
            n++;
        }
        return Arrays.copyOfRange(seq, len, len + n);
    }

    /** The token to propose after {@code seq[0, end)}, or -1. */
    private int next(NgramCache context, int end) {
        Followers weights = null;
        if (staticCache != null && end >= STATIC_NGRAM && text(end - STATIC_NGRAM, STATIC_NGRAM)) {
            weights = staticCache.get(Ngram.of(seq, end - STATIC_NGRAM, STATIC_NGRAM));
        }
        int token = fromHistory(context, end, weights, LAX_SAMPLES, LAX_PERCENT);
        if (token < 0 && dynamicCache != null) {
            token = fromHistory(dynamicCache, end, weights, STRICT_SAMPLES, STRICT_PERCENT);
        }
        if (token < 0 && weights != null) {
            token = best(weights, null, LAX_SAMPLES[STATIC_NGRAM - 1], LAX_PERCENT[STATIC_NGRAM - 1]);
        }
        return token;
    }

    private int fromHistory(NgramCache cache, int end, Followers weights, int[] samples, int[] percent) {
        for (int n = Math.min(SpeculativeConfig.NGRAM_MAX, end); n >= ngramMin; n--) {
            if (!text(end - n, n)) {
                continue;
            }
            Followers f = cache.get(Ngram.of(seq, end - n, n));
            if (f != null) {
                int token = best(f, weights, samples[n - 1], percent[n - 1]);
                if (token >= 0) {
                    return token;
                }
            }
        }
        return -1;
    }

    /**
     * The follower with the highest count (times 100 times its static count, where the static cache
     * knows it), if the n-gram was seen at least {@code minSamples} times and that follower took at least
     * {@code minPercent} of them; else -1.
     */
    private static int best(Followers f, Followers weights, int minSamples, int minPercent) {
        long bestScore = 0;
        int bestToken = -1;
        int bestCount = 0;
        long total = 0;
        for (int i = 0; i < f.size(); i++) {
            int count = f.count(i);
            long weight = 1;
            if (weights != null) {
                int w = weights.countOf(f.token(i));
                weight = w > 0 ? 100L * w : 1;
            }
            long score = count * weight;
            if (score > bestScore) {
                bestScore = score;
                bestToken = f.token(i);
                bestCount = count;
            }
            total += count;
        }
        if (total < minSamples || 100L * bestCount < (long) minPercent * total) {
            return -1;
        }
        return bestToken;
    }

    private boolean text(int from, int n) {
        for (int i = from; i < from + n; i++) {
            if (seq[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** The slot's history statistics, brought up to its cached tokens (rebuilt for a new task or a shift). */
    private History sync(Slot slot) {
        if (histories.length <= slot.id) {
            histories = Arrays.copyOf(histories, slot.id + 1);
        }
        History h = histories[slot.id];
        if (h == null || h.task != slot.task || slot.nPast < h.indexed) {
            h = new History(slot.task);
            histories[slot.id] = h;
        }
        if (h.indexed < slot.nPast) {
            h.cache.index(slot.tokens, h.indexed, slot.nPast, ngramMin, SpeculativeConfig.NGRAM_MAX);
            h.indexed = slot.nPast;
        }
        return h;
    }

    @Override
    public void finished(Slot slot) {
        if (dynamicCache == null) {
            if (slot.id < histories.length) {
                histories[slot.id] = null;
            }
            return;
        }
        // what the request saw and produced, as n-grams of every size, grows the dynamic cache
        NgramCache produced = new NgramCache();
        produced.index(slot.tokens, 0, slot.nPast, 1, SpeculativeConfig.NGRAM_MAX);
        if (slot.id < histories.length) {
            histories[slot.id] = null;
        }
        if (produced.size() == 0) {
            return;
        }
        dynamicCache.addAll(produced);
        dirty = true;
        if (System.nanoTime() - savedAt >= SAVE_INTERVAL_NANOS) {
            save();
        }
    }

    private void save() {
        try {
            dynamicCache.write(dynamicFile);
            dirty = false;
            LOG.debug("dynamic lookup cache {} saved: {} n-grams", dynamicFile, dynamicCache.size());
        } catch (IOException e) {
            LOG.warn("cannot save the dynamic lookup cache {}: {}", dynamicFile, e.getMessage());
        }
        savedAt = System.nanoTime();
    }

    @Override
    public void close() {
        if (dynamicCache != null && dirty) {
            save();
            LOG.info("dynamic lookup cache {} saved: {} n-grams", dynamicFile, dynamicCache.size());
        }
    }
}
