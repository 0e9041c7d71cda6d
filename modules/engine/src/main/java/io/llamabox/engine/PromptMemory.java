package io.llamabox.engine;

import io.llamabox.jni.SequenceSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * {@code --cache-ram}: the KV states of prompts that slots gave up, kept in native memory up to a byte
 * budget, so that a conversation coming back after its slot served others is not computed again. The
 * least recently stored state goes first when the budget is short. Owned by the scheduler thread.
 */
final class PromptMemory implements AutoCloseable {
    /** A stored state: the tokens it holds, the LoRA scales they were computed with. */
    record Entry(int[] tokens, float[] lora, SequenceSnapshot state) {
        int commonPrefix(int[] prompt) {
            int n = Math.min(tokens.length, prompt.length);
            int i = 0;
            while (i < n && tokens[i] == prompt[i]) {
                i++;
            }
            return i;
        }
    }

    /** The entry sharing the longest prefix with a prompt, and that length. */
    record Match(Entry entry, int prefix) {
    }

    private final long budget;
    private final List<Entry> entries = new ArrayList<>(); // oldest first
    private long used;

    PromptMemory(long budgetBytes) {
        this.budget = budgetBytes;
    }

    long used() {
        return used;
    }

    int size() {
        return entries.size();
    }

    /**
     * Stores a state (taking ownership of it). Entries it extends (their tokens are a prefix of its
     * tokens) are dropped; a state bigger than the whole budget is not kept.
     */
    void store(int[] tokens, float[] lora, SequenceSnapshot state) {
        if (state.size() > budget) {
            state.close();
            return;
        }
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (Arrays.equals(e.lora(), lora) && e.tokens().length <= tokens.length
                    && e.commonPrefix(tokens) == e.tokens().length) {
                drop(it, e);
            }
        }
        while (used + state.size() > budget && !entries.isEmpty()) {
            Iterator<Entry> it = entries.iterator();
            drop(it, it.next());
        }
        entries.add(new Entry(tokens.clone(), lora, state));
        used += state.size();
    }

    /** The entry computed with these LoRA scales that shares the longest prefix with the prompt, if any. */
    Match best(int[] prompt, float[] lora) {
        Match best = null;
        for (Entry e : entries) {
            if (!Arrays.equals(e.lora(), lora)) {
                continue;
            }
            int p = e.commonPrefix(prompt);
            if (p > 0 && (best == null || p > best.prefix())) {
                best = new Match(e, p);
            }
        }
        return best;
    }

    /** Removes an entry whose state a slot now holds again, and frees it. */
    void take(Entry e) {
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            if (it.next() == e) {
                drop(it, e);
                return;
            }
        }
    }

    private void drop(Iterator<Entry> it, Entry e) {
        it.remove();
        used -= e.state().size();
        e.state().close();
    }

    @Override
    public void close() {
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            drop(it, it.next());
        }
    }
}
