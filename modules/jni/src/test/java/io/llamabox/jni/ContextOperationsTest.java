package io.llamabox.jni;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KV-cache operations, state files, control vectors, probabilities and samplers do what llama.cpp says. */
class ContextOperationsTest {
    @TempDir
    Path dir;

    private static int[] prefill(Context ctx, Batch batch, int[] tokens, int seq) {
        batch.clear();
        for (int i = 0; i < tokens.length; i++) {
            batch.add(tokens[i], i, seq, i == tokens.length - 1);
        }
        assertEquals(0, ctx.decode(batch));
        return tokens;
    }

    private static List<Integer> generate(Context ctx, Batch batch, Sampler s, int seq, int pos, int index, int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int t = s.sample(ctx, index);
            out.add(t);
            batch.clear();
            index = batch.add(t, pos++, seq, true);
            assertEquals(0, ctx.decode(batch));
        }
        return out;
    }

    /** The greedy continuation of a prompt just decoded on a sequence. */
    private static List<Integer> continuation(Model m, Context ctx, Batch batch, int[] prompt, int seq) {
        try (Sampler s = Sampler.create(m, SamplerParams.greedy())) {
            return generate(ctx, batch, s, seq, prompt.length, prompt.length - 1, 8);
        }
    }

    /**
     * The greedy continuation of a prompt whose state was restored into a sequence: its last token is
     * decoded again on top of the restored cache to get its logits.
     */
    private static List<Integer> continuationAfterRestore(Model m, Context ctx, Batch batch, int[] prompt, int seq) {
        assertTrue(ctx.removeTokens(seq, prompt.length - 1, -1));
        batch.clear();
        int idx = batch.add(prompt[prompt.length - 1], prompt.length - 1, seq, true);
        assertEquals(0, ctx.decode(batch));
        try (Sampler s = Sampler.create(m, SamplerParams.greedy())) {
            return generate(ctx, batch, s, seq, prompt.length, idx, 8);
        }
    }

    @Test
    void aSavedSequenceRestoresToTheSameContinuation() throws java.io.IOException {
        try (Model m = Fixtures.load(Fixtures.llama());
             Context ctx = new Context(m, ContextParams.text(512, 128, 2, 2));
             Batch batch = Batch.allocate(128)) {
            int[] prompt = m.vocab().tokenize("The state of the cache", true, false);
            prefill(ctx, batch, prompt, 0);
            assertEquals(prompt.length - 1, ctx.maxPosition(0));
            assertEquals(0, ctx.minPosition(0));
            assertTrue(ctx.sequenceStateSize(0) > 0);
            Path file = dir.resolve("seq0.bin");
            assertTrue(ctx.saveSequence(file, 0, prompt) > 0);
            List<Integer> expected = continuation(m, ctx, batch, prompt, 0);
            ctx.clearMemory();
            assertEquals(-1, ctx.maxPosition(1));
            int[] restored;
            try (StateFile bytes = StateFile.read(file, Long.MAX_VALUE)) {
                restored = ctx.restoreSequence(bytes, 1);
            }
            assertArrayEquals(prompt, restored);
            assertEquals(prompt.length - 1, ctx.maxPosition(1));
            assertEquals(expected, continuationAfterRestore(m, ctx, batch, prompt, 1));
        }
    }

    @Test
    void aSnapshotInMemoryRestoresToTheSameContinuationInAnotherSequence() {
        try (Model m = Fixtures.load(Fixtures.llama());
             Context ctx = new Context(m, ContextParams.text(512, 128, 2, 2));
             Batch batch = Batch.allocate(128)) {
            int[] prompt = m.vocab().tokenize("Kept in memory for later", true, false);
            prefill(ctx, batch, prompt, 0);
            List<Integer> expected;
            try (SequenceSnapshot snap = ctx.snapshot(0)) {
                assertTrue(snap.size() > 0);
                expected = continuation(m, ctx, batch, prompt, 0);
                ctx.clearMemory();
                assertTrue(ctx.restore(snap, 1));
                assertEquals(prompt.length - 1, ctx.maxPosition(1));
                assertEquals(-1, ctx.maxPosition(0));
            }
            assertEquals(expected, continuationAfterRestore(m, ctx, batch, prompt, 1));
        }
    }

    @Test
    void aSequenceCopiedWholeAndTrimmedContinuesLikeOneComputedAfresh() {
        try (Model m = Fixtures.load(Fixtures.llama());
             Context ctx = new Context(m, ContextParams.text(768, 128, 3, 2).withUbatch(128));
             Batch batch = Batch.allocate(128);
             Sampler greedy = Sampler.create(m, SamplerParams.greedy())) {
            int[] prompt = m.vocab().tokenize("A shared prefix, then a question for two slots", true, false);
            int keep = prompt.length - 3;
            // reference: the prompt decoded from scratch on sequence 2 (a stream of its own, so sequence 1's
            // stream has never held these values unless the copy brings them)
            prefill(ctx, batch, prompt, 2);
            float[] fresh = ctx.logits(prompt.length - 1);
            List<Integer> expected = generate(ctx, batch, greedy, 2, prompt.length, prompt.length - 1, 8);
            greedy.reset();

            prefill(ctx, batch, prompt, 0);
            ctx.copySequence(0, 1, -1, -1); // separate KV streams: the whole stream is copied
            assertTrue(ctx.removeTokens(1, keep, -1));
            assertEquals(keep - 1, ctx.maxPosition(1));
            assertEquals(prompt.length - 1, ctx.maxPosition(0));
            batch.clear();
            int idx = -1;
            for (int i = keep; i < prompt.length; i++) {
                idx = batch.add(prompt[i], i, 1, i == prompt.length - 1);
            }
            assertEquals(0, ctx.decode(batch));
            float[] copied = ctx.logits(idx);
            for (int i = 0; i < fresh.length; i++) {
                assertEquals(fresh[i], copied[i], 1e-3f);
            }
            assertEquals(expected, generate(ctx, batch, greedy, 1, prompt.length, idx, 8));
            assertEquals(prompt.length - 1, ctx.maxPosition(0), "the source sequence is untouched");
        }
    }

    @Test
    void aPartialCopyBetweenSeparateStreamsIsRefusedNotAborted() {
        try (Model m = Fixtures.load(Fixtures.llama());
             Context ctx = new Context(m, ContextParams.text(512, 128, 2, 2));
             Batch batch = Batch.allocate(128)) {
            int[] prompt = m.vocab().tokenize("Only whole streams move", true, false);
            prefill(ctx, batch, prompt, 0);
            // llama.cpp would assert and end the process on these
            assertThrows(IllegalArgumentException.class, () -> ctx.copySequence(0, 1, 0, 2));
            assertThrows(IllegalArgumentException.class, () -> ctx.copySequence(0, 1, 2, -1));
            assertEquals(-1, ctx.maxPosition(1));
            ctx.copySequence(0, 1, -1, -1);
            batch.clear();
            batch.add(prompt[0], prompt.length, 1, true);
            assertEquals(0, ctx.decode(batch));
            assertEquals(prompt.length, ctx.maxPosition(1));
        }
    }

    @Test
    void topProbabilitiesAreTheSoftmaxOfTheLogits() {
        try (Model m = Fixtures.load(Fixtures.llama());
             Context ctx = new Context(m, ContextParams.text(256, 64, 1, 2));
             Batch batch = Batch.allocate(64)) {
            int[] prompt = m.vocab().tokenize("Probabilities", true, false);
            prefill(ctx, batch, prompt, 0);
            int idx = prompt.length - 1;
            float[] logits = ctx.logits(idx);
            List<TokenProbability> top = ctx.topProbabilities(idx, 5);
            assertEquals(5, top.size());
            int argmax = 0;
            for (int i = 1; i < logits.length; i++) {
                if (logits[i] > logits[argmax]) {
                    argmax = i;
                }
            }
            assertEquals(argmax, top.get(0).token());
            for (int i = 1; i < top.size(); i++) {
                assertTrue(top.get(i).probability() <= top.get(i - 1).probability());
            }
            double max = logits[argmax];
            double sum = 0;
            for (float l : logits) {
                sum += Math.exp(l - max);
            }
            for (TokenProbability t : top) {
                assertEquals(Math.exp(logits[t.token()] - max) / sum, t.probability(), 1e-5);
                assertEquals(Math.log(t.probability()), t.logprob(), 1e-4);
                assertEquals(t.probability(), ctx.probability(idx, t.token()), 1e-6);
            }
            try (Sampler greedy = Sampler.create(m, SamplerParams.greedy())) {
                assertEquals(argmax, greedy.sample(ctx, idx));
            }
        }
    }

    @Test
    void aControlVectorChangesTheOutputAndClearingItRestoresIt() {
        try (Model m = Fixtures.load(Fixtures.llama());
             Context ctx = new Context(m, ContextParams.text(256, 64, 1, 2));
             Batch batch = Batch.allocate(64)) {
            int[] prompt = m.vocab().tokenize("Steer me", true, false);
            prefill(ctx, batch, prompt, 0);
            float[] base = ctx.logits(prompt.length - 1);
            int nEmbd = m.info().nEmbd();
            int layers = m.info().nLayer();
            float[] cv = new float[nEmbd * layers];
            for (int i = 0; i < cv.length; i++) {
                cv[i] = (i % 7 - 3) * 0.5f;
            }
            ctx.setControlVector(cv, 1, layers);
            ctx.clearMemory();
            prefill(ctx, batch, prompt, 0);
            float[] steered = ctx.logits(prompt.length - 1);
            assertTrue(!java.util.Arrays.equals(base, steered), "the control vector moved the logits");
            ctx.setControlVector(null, 0, 0);
            ctx.clearMemory();
            prefill(ctx, batch, prompt, 0);
            assertArrayEquals(base, ctx.logits(prompt.length - 1), 1e-5f);
        }
    }

    @Test
    void aGrammarConstrainsWhatIsSampledAndAClonedSamplerContinuesAlike() {
        try (Model m = Fixtures.load(Fixtures.llama());
             Context ctx = new Context(m, ContextParams.text(256, 64, 1, 2));
             Batch batch = Batch.allocate(64)) {
            int[] prompt = m.vocab().tokenize("Answer:", true, false);
            prefill(ctx, batch, prompt, 0);
            SamplerParams p = SamplerParams.defaults().withSeed(42)
                    .withGrammar("root ::= (\"yes\" | \"no\") \" \" [0-9] [0-9]", false, List.of(), List.of());
            try (Sampler s = Sampler.create(m, p)) {
                StringBuilder text = new StringBuilder();
                int index = prompt.length - 1;
                int pos = prompt.length;
                for (int i = 0; i < 12; i++) {
                    int t = s.sample(ctx, index);
                    if (m.vocab().isEndOfGeneration(t)) {
                        break;
                    }
                    text.append(new String(m.vocab().piece(t, false), java.nio.charset.StandardCharsets.UTF_8));
                    batch.clear();
                    index = batch.add(t, pos++, 0, true);
                    assertEquals(0, ctx.decode(batch));
                }
                assertTrue(text.toString().matches("(yes|no) [0-9][0-9]"), text.toString());
            }
            try (Sampler a = Sampler.create(m, SamplerParams.defaults().withSeed(7).withLogitBias(Map.of(2, -100f)))) {
                a.accept(prompt[0]);
                try (Sampler b = a.copy()) {
                    ctx.clearMemory();
                    prefill(ctx, batch, prompt, 0);
                    int ta = a.sample(ctx, prompt.length - 1);
                    int tb = b.sample(ctx, prompt.length - 1);
                    assertEquals(ta, tb);
                }
            }
        }
    }

    @Test
    void perfCountersCountDecodedTokens() {
        try (Model m = Fixtures.load(Fixtures.llama());
             Context ctx = new Context(m, ContextParams.text(256, 64, 1, 2));
             Batch batch = Batch.allocate(64)) {
            ctx.resetPerf();
            int[] prompt = m.vocab().tokenize("count these tokens please", true, false);
            prefill(ctx, batch, prompt, 0);
            PerfData p = ctx.perf();
            assertEquals(prompt.length, p.promptTokens(), p.toString());
            assertTrue(p.promptEvalMs() > 0, p.toString());
            batch.clear();
            batch.add(prompt[0], prompt.length, 0, true);
            assertEquals(0, ctx.decode(batch));
            PerfData q = ctx.perf();
            assertEquals(prompt.length, q.promptTokens(), q.toString());
            assertEquals(1, q.evalTokens(), q.toString());
            assertTrue(q.evalMs() > 0, q.toString());
        }
    }
}
