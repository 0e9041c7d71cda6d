package io.llamabox.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Misuse from Java becomes a Java exception; the JVM and the handles stay usable. */
class HandleSafetyTest {
    @Test
    void closedHandlesRefuseUse() {
        Model m = Fixtures.load(Fixtures.llama());
        Context ctx = new Context(m, ContextParams.text(128, 64, 1, 1));
        Batch batch = Batch.allocate(8);
        ctx.close();
        batch.close();
        assertThrows(IllegalStateException.class, () -> ctx.decode(Batch.allocate(1)));
        assertThrows(IllegalStateException.class, () -> batch.add(1, 0, 0, true));
        ctx.close(); // closing twice is harmless
        m.close();
        assertThrows(IllegalStateException.class, m::info);
        assertThrows(IllegalStateException.class, () -> m.vocab().tokenize("x", true, false));
    }

    @Test
    void outOfRangeTokensAreRejectedEverywhere() {
        try (Model m = Fixtures.load(Fixtures.llama());
             Context ctx = new Context(m, ContextParams.text(128, 64, 1, 1));
             Batch batch = Batch.allocate(8)) {
            int n = m.vocab().size();
            assertThrows(IllegalArgumentException.class, () -> m.vocab().piece(n, false));
            assertThrows(IllegalArgumentException.class, () -> m.vocab().piece(-1, false));
            assertThrows(IllegalArgumentException.class, () -> m.vocab().detokenize(new int[] {1, n + 5}, false, false));
            assertThrows(IllegalArgumentException.class, () -> m.vocab().isEndOfGeneration(Integer.MAX_VALUE));
            batch.add(n, 0, 0, true);
            assertThrows(IllegalArgumentException.class, () -> ctx.decode(batch));
            batch.clear();
            batch.add(1, 0, 5, true); // sequence 5 in a context of one sequence
            assertThrows(IllegalArgumentException.class, () -> ctx.decode(batch));
            assertThrows(IllegalArgumentException.class,
                    () -> Sampler.create(m, SamplerParams.greedy().withLogitBias(java.util.Map.of(n, 1f))));
            // the context still works after the refusals
            batch.clear();
            batch.add(1, 0, 0, true);
            assertEquals(0, ctx.decode(batch));
        }
    }

    @Test
    void batchIndicesOutOfRangeAreRejected() {
        try (Model m = Fixtures.load(Fixtures.llama());
             Context ctx = new Context(m, ContextParams.text(128, 64, 1, 1));
             Batch batch = Batch.allocate(4);
             Sampler sampler = Sampler.create(m, SamplerParams.greedy())) {
            assertThrows(IndexOutOfBoundsException.class, () -> sampler.sample(ctx, 0)); // nothing decoded yet
            batch.add(1, 0, 0, false);
            batch.add(2, 1, 0, true);
            assertEquals(0, ctx.decode(batch));
            assertThrows(IndexOutOfBoundsException.class, () -> sampler.sample(ctx, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> ctx.logits(-1));
            assertThrows(IllegalArgumentException.class, () -> sampler.sample(ctx, 0)); // no logits requested there
            assertTrue(m.vocab().isValid(sampler.sample(ctx, 1)));
            assertThrows(IndexOutOfBoundsException.class, () -> batch.token(7));
            assertThrows(IllegalStateException.class, () -> {
                for (int i = 0; i < 10; i++) {
                    batch.add(1, i + 2, 0, false);
                }
            });
        }
    }

    @Test
    void anImpossibleGrammarIsReportedNotFatal() {
        try (Model m = Fixtures.load(Fixtures.llama())) {
            assertThrows(IllegalArgumentException.class,
                    () -> Sampler.create(m, SamplerParams.greedy().withGrammar("root ::= undefined-rule", false,
                            java.util.List.of(), java.util.List.of())));
            assertTrue(Sampler.grammarError(m, "root ::= \"a\" root2", "root") != null);
            assertEquals(null, Sampler.grammarError(m, "root ::= [a-z]+", "root"));
        }
    }
}
