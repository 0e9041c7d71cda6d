package io.llamabox.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.jni.ContextParams;
import io.llamabox.jni.ModelParams;
import io.llamabox.spi.EngineMetrics;
import io.llamabox.testkit.model.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Greedy output does not change with speculation, and drafted/accepted tokens are counted. */
class SpeculativeDecodingTest {
    private static LlamaTextEngine start(int slots, SpeculativeConfig spec) {
        Engines.start(TestModels.llama(), 1, 64).close(); // loads the backends once
        Path model = TestModels.llama();
        ContextParams ctx = ContextParams.text(slots * 512, 512, slots, 2);
        EngineSettings s = new EngineSettings(model, "spec", ModelParams.defaults(), ctx, slots, true, true, 0, 0.5f,
                true, 0, true, false, null);
        return LlamaTextEngine.start(s, spec, null);
    }

    private static String generate(LlamaTextEngine e, String prompt, int n, Collector[] keep) throws Exception {
        return generate(e, prompt, n, keep, null);
    }

    private static String generate(LlamaTextEngine e, String prompt, int n, Collector[] keep, String grammar)
            throws Exception {
        Collector c = new Collector();
        var g = Engines.greedy();
        var sampling = new io.llamabox.spi.Sampling(g.seed(), g.samplers(), g.temperature(), g.dynatempRange(),
                g.dynatempExponent(), g.topK(), g.topP(), g.minP(), g.typicalP(), g.xtcProbability(), g.xtcThreshold(),
                g.repeatLastN(), g.repeatPenalty(), g.frequencyPenalty(), g.presencePenalty(), g.dryMultiplier(),
                g.dryBase(), g.dryAllowedLength(), g.dryPenaltyLastN(), g.drySequenceBreakers(), g.mirostat(),
                g.mirostatTau(), g.mirostatEta(), g.logitBias(), grammar, false, List.of(), List.of(), 0, g.topNSigma());
        e.submit(new io.llamabox.spi.GenerationRequest("spec", e.tokenize(prompt, true, true), sampling, n, List.of(),
                false, 0, 0, true, -1, 0, false), c);
        c.await();
        if (keep != null) {
            keep[0] = c;
        }
        return c.text();
    }

    @Test
    void aDraftModelEqualToTheTargetChangesNothingAndIsAlwaysAccepted() throws Exception {
        List<String> prompts = List.of("Once upon a time", "The capital of France is");
        String[] plain = new String[prompts.size()];
        try (LlamaTextEngine e = Engines.llama(2, 512)) {
            for (int i = 0; i < prompts.size(); i++) {
                plain[i] = generate(e, prompts.get(i), 48, null);
            }
        }
        SpeculativeConfig spec = new SpeculativeConfig(TestModels.llama(), ModelParams.defaults(), 8, 1, 0f, 0);
        try (LlamaTextEngine e = start(2, spec)) {
            for (int i = 0; i < prompts.size(); i++) {
                Collector[] c = new Collector[1];
                assertEquals(plain[i], generate(e, prompts.get(i), 48, c), prompts.get(i));
                assertTrue(c[0].usage.draftTokens() > 0, "tokens were drafted");
                assertEquals(c[0].usage.draftTokens(), c[0].usage.draftAcceptedTokens(), "the target agrees with itself");
            }
            EngineMetrics m = e.metrics();
            assertTrue(m.tokensDraftedTotal() > 0);
            assertEquals(m.tokensDraftedTotal(), m.tokensDraftedAcceptedTotal());
        }
    }

    @Test
    void ngramLookupOnARepetitivePromptChangesNothing() throws Exception {
        // the grammar makes the output repeat the prompt, as a summary quoting its source would
        String prompt = "alpha beta gamma delta alpha beta gamma delta alpha beta gamma delta alpha beta";
        String grammar = "root ::= (\" gamma delta alpha beta\" | \" gamma delta\")+";
        String plain;
        try (LlamaTextEngine e = Engines.llama(1, 512)) {
            plain = generate(e, prompt, 64, null, grammar);
        }
        SpeculativeConfig spec = new SpeculativeConfig(null, null, 8, 1, 0.9f, 2);
        try (LlamaTextEngine e = start(1, spec)) {
            Collector[] c = new Collector[1];
            assertEquals(plain, generate(e, prompt, 64, c, grammar));
            assertTrue(c[0].usage.draftAcceptedTokens() > 0, "some lookup drafts were accepted: " + c[0].usage);
            assertTrue(c[0].usage.draftTokens() > 0, "the lookup proposed tokens");
            EngineMetrics m = e.metrics();
            assertEquals(c[0].usage.draftTokens(), m.tokensDraftedTotal());
            assertEquals(c[0].usage.draftAcceptedTokens(), m.tokensDraftedAcceptedTotal());
        }
    }

    @Test
    void aDynamicLookupCacheLearnsFromEarlierRequestsAndOutlivesTheEngine(@TempDir Path dir) throws Exception {
        String prompt = "The history of the printing press begins";
        String plain;
        try (LlamaTextEngine e = Engines.llama(1, 512)) {
            plain = generate(e, prompt, 48, null);
        }
        Path file = dir.resolve("dynamic.lcd");
        SpeculativeConfig spec = new SpeculativeConfig(null, null, 8, 1, 0.9f, 1, null, file);
        long firstAccepted;
        try (LlamaTextEngine e = start(1, spec)) {
            Collector[] c = new Collector[1];
            assertEquals(plain, generate(e, prompt, 48, c));
            firstAccepted = c[0].usage.draftAcceptedTokens();
            assertEquals(plain, generate(e, prompt, 48, null));
        }
        assertTrue(Files.size(file) > 0, "the dynamic cache is saved when the engine closes");
        try (LlamaTextEngine e = start(1, spec)) {
            Collector[] c = new Collector[1];
            assertEquals(plain, generate(e, prompt, 48, c));
            long accepted = c[0].usage.draftAcceptedTokens();
            assertTrue(accepted > firstAccepted && accepted >= 30,
                    "what two earlier requests produced is drafted: " + accepted + " accepted, first run " + firstAccepted);
        }
    }
}
