package io.llamabox.engine;

import io.llamabox.jni.Batch;
import io.llamabox.jni.Context;
import io.llamabox.jni.ContextParams;
import io.llamabox.jni.Model;
import io.llamabox.jni.TokenProbability;
import io.llamabox.jni.Vocab;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A smaller model with the same vocabulary drafts greedily, one sequence per slot. Its cache
 * mirrors each slot's tokens and is trimmed to the common prefix whenever the slot's history moved on.
 */
final class ModelDrafter implements Drafter {
    private static final Logger LOG = LoggerFactory.getLogger(ModelDrafter.class);

    private final Model model;
    private final Context ctx;
    private final Batch batch;
    private final float pMin;
    private final int[][] mirror;
    private final int[] mirrored;

    private ModelDrafter(Model model, Context ctx, float pMin, int slots, int slotContext) {
        this.model = model;
        this.ctx = ctx;
        this.batch = Batch.allocate(ctx.nBatch());
        this.pMin = pMin;
        this.mirror = new int[slots][slotContext + 1];
        this.mirrored = new int[slots];
    }

    static ModelDrafter load(SpeculativeConfig c, Model target, ContextParams targetContext, int slots, int slotContext) {
        Path path = c.draftModel();
        Model draft = Model.load(path, c.draftModelParams(), null);
        try {
            checkCompatible(target, draft);
            ContextParams p = targetContext.withUbatch(Math.min(targetContext.nUbatch(), targetContext.nBatch()));
            Context ctx = new Context(draft, p);
            LOG.info("draft model {} loaded: up to {} tokens per step, p-min {}", path.getFileName(), c.draftMax(), c.draftPMin());
            return new ModelDrafter(draft, ctx, c.draftPMin(), slots, slotContext);
        } catch (RuntimeException e) {
            draft.close();
            throw e;
        }
    }

    /** The draft must tokenize like the target: same size, same special tokens, same texts. */
    static void checkCompatible(Model target, Model draft) {
        Vocab t = target.vocab();
        Vocab d = draft.vocab();
        if (t.size() != d.size() || t.bos() != d.bos() || t.eos() != d.eos()) {
            throw new IllegalArgumentException("the draft model's vocabulary differs from the target's ("
                    + d.size() + " vs " + t.size() + " tokens)");
        }
        int step = Math.max(1, t.size() / 256);
        for (int i = 0; i < t.size(); i += step) {
            if (!t.text(i).equals(d.text(i))) {
                throw new IllegalArgumentException("the draft model's token " + i + " differs from the target's");
            }
        }
    }

    @Override
    public int[] draft(Slot slot, int pending, int max) {
        int seq = slot.id;
        int len = slot.nPast + 1;
        int[] m = mirror[seq];
        int common = 0;
        int limit = Math.min(mirrored[seq], len);
        while (common < limit && m[common] == (common == slot.nPast ? pending : slot.tokens[common])) {
            common++;
        }
        if (common == len) {
            common--; // the last token is decoded again for its logits
        }
        if (common < mirrored[seq]) {
            ctx.removeTokens(seq, common, -1);
            mirrored[seq] = common;
        }
        int index = -1;
        for (int i = common; i < len; ) {
            batch.clear();
            while (i < len && batch.remaining() > 0) {
                int tok = i == slot.nPast ? pending : slot.tokens[i];
                index = batch.add(tok, i, seq, i == len - 1);
                m[i] = tok;
                i++;
            }
            if (ctx.decode(batch) != 0) {
                ctx.removeTokens(seq, 0, -1);
                mirrored[seq] = 0;
                return new int[0];
            }
            mirrored[seq] = i;
        }
        int room = Math.min(max, m.length - len - 1);
        int[] out = new int[Math.max(0, room)];
        int n = 0;
        while (n < room) {
            List<TokenProbability> top = ctx.topProbabilities(index, 1);
            TokenProbability best = top.get(0);
            if (best.probability() < pMin) {
                break;
            }
            out[n++] = best.token();
            if (n == room) {
                break;
            }
            int pos = len + n - 1;
            batch.clear();
            index = batch.add(best.token(), pos, seq, true);
            if (ctx.decode(batch) != 0) {
                break;
            }
            m[pos] = best.token();
            mirrored[seq] = pos + 1;
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    @Override
    public void close() {
        batch.close();
        ctx.close();
        model.close();
    }
}
