package io.llamabox.engine;

/**
 * N-gram lookup: finds the latest earlier occurrence of the history's last n tokens (n from
 * {@link SpeculativeConfig#NGRAM_MAX} down to the configured minimum) and proposes what followed it.
 * Works well when the output repeats the prompt (summaries, code edits, extraction).
 */
final class LookupDrafter implements Drafter {
    private final int ngramMin;

    LookupDrafter(int ngramMin) {
        this.ngramMin = Math.max(1, ngramMin);
    }

    @Override
    public int[] draft(Slot slot, int pending, int max) {
        int len = slot.nPast + 1;
        int[] h = slot.tokens;
        // the history is tokens[0, nPast) followed by pending
        for (int n = Math.min(SpeculativeConfig.NGRAM_MAX, len - 1); n >= ngramMin; n--) {
            int start = len - n;
            for (int j = start - 1; j >= 0; j--) {
                if (matches(h, j, start, n, slot.nPast, pending)) {
                    int from = j + n;
                    int count = Math.min(max, len - from);
                    if (count <= 0) {
                        continue;
                    }
                    int[] out = new int[count];
                    for (int i = 0; i < count; i++) {
                        out[i] = at(h, from + i, slot.nPast, pending);
                    }
                    return out;
                }
            }
        }
        return new int[0];
    }

    private static boolean matches(int[] h, int j, int start, int n, int nPast, int pending) {
        for (int i = 0; i < n; i++) {
            if (at(h, j + i, nPast, pending) != at(h, start + i, nPast, pending)) {
                return false;
            }
        }
        return true;
    }

    private static int at(int[] h, int i, int nPast, int pending) {
        return i == nPast ? pending : h[i];
    }

    @Override
    public void close() {
    }
}
