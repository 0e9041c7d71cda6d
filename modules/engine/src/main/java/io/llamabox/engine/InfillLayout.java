package io.llamabox.engine;

import io.llamabox.jni.Vocab;
import io.llamabox.spi.EngineException;
import io.llamabox.spi.InfillParts;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays out a fill-in-the-middle prompt the way llama.cpp's server does for {@code /infill}, so that
 * both give the model the same tokens:
 * <pre>
 * [FIM_REP]myproject\n [FIM_SEP]file0\n text0 ... [FIM_SEP]filename\n      (the repository part, when the model has those tokens)
 * [BOS] [FIM_PRE] prefix [FIM_SUF] suffix [FIM_MID] prompt                (suffix first with --spm-infill)
 * </pre>
 * The prompt follows the prefix; without a file separator token, extra files are set apart by a
 * "--- snippet ---" line. The prefix keeps its last 3/4 of a batch, the suffix its first quarter less
 * the prompt, and the extra files fill what remains of the slot's context after a batch and twice
 * the tokens to predict, keeping their end.
 */
final class InfillLayout {
    private static final String SNIPPET = "\n\n--- snippet ---\n\n";

    private InfillLayout() {
    }

    static int[] layout(Vocab vocab, InfillParts parts, int nBatch, int nCtxSlot) {
        if (!vocab.hasFim()) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST,
                    "this model cannot fill in the middle: it has no FIM prefix, suffix and middle tokens");
        }
        List<Integer> extra = new ArrayList<>();
        if (vocab.fimRepo() != Vocab.NULL_TOKEN) {
            extra.add(vocab.fimRepo());
            add(extra, vocab.tokenize("myproject\n", false, false));
        }
        for (InfillParts.Chunk chunk : parts.extra()) {
            if (vocab.fimSeparator() != Vocab.NULL_TOKEN) {
                extra.add(vocab.fimSeparator());
                add(extra, vocab.tokenize(chunk.filename() + "\n", false, false));
            } else {
                add(extra, vocab.tokenize(SNIPPET, false, false));
            }
            add(extra, vocab.tokenize(chunk.text(), false, false));
        }
        if (vocab.fimSeparator() != Vocab.NULL_TOKEN) {
            extra.add(vocab.fimSeparator());
            add(extra, vocab.tokenize("filename\n", false, false));
        }
        int[] prefix = parts.prefix();
        int[] suffix = parts.suffix();
        int[] prompt = parts.prompt();
        int prefixTake = Math.min(prefix.length, 3 * (nBatch / 4));
        int suffixTake = Math.min(suffix.length, Math.max(0, nBatch / 4 - (2 + prompt.length)));
        int extraTake = Math.min(Math.max(0, nCtxSlot - nBatch - 2 * parts.nPredict()), extra.size());

        List<Integer> pre = new ArrayList<>();
        pre.add(vocab.fimPrefix());
        for (int i = prefix.length - prefixTake; i < prefix.length; i++) {
            pre.add(prefix[i]);
        }
        add(pre, prompt);
        List<Integer> suf = new ArrayList<>();
        suf.add(vocab.fimSuffix());
        for (int i = 0; i < suffixTake; i++) {
            suf.add(suffix[i]);
        }
        List<Integer> first = parts.suffixFirst() ? suf : pre;
        List<Integer> second = parts.suffixFirst() ? pre : suf;

        List<Integer> out = new ArrayList<>(extraTake + first.size() + second.size() + 2);
        out.addAll(extra.subList(extra.size() - extraTake, extra.size()));
        if (vocab.addsBos() && vocab.bos() != Vocab.NULL_TOKEN) {
            out.add(vocab.bos());
        }
        out.addAll(first);
        out.addAll(second);
        out.add(vocab.fimMiddle());
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void add(List<Integer> to, int[] tokens) {
        for (int t : tokens) {
            to.add(t);
        }
    }
}
