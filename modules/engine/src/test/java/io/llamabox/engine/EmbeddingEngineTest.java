package io.llamabox.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.jni.Llama;
import io.llamabox.jni.ModelParams;
import io.llamabox.jni.PoolingType;
import io.llamabox.spi.EngineException;
import io.llamabox.testkit.model.SpecialTokens;
import io.llamabox.testkit.model.TestModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EmbeddingEngineTest {
    static LlamaEmbeddingEngine start(Path model, int slots) {
        Llama.loadDefaultBackends();
        return LlamaEmbeddingEngine.start(model, "emb", ModelParams.defaults(), 512, 256, slots, 2,
                PoolingType.UNSPECIFIED, null);
    }

    @Test
    void manyInputsInOneRequestAndConcurrentRequestsGiveTheSequentialVectors() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            texts.add("input number " + i + " says " + "hello ".repeat(i % 5));
        }
        try (LlamaEmbeddingEngine e = start(TestModels.embedding(), 4)) {
            List<float[]> sequential = new ArrayList<>();
            for (String t : texts) {
                sequential.add(e.embed("r", List.of(e.tokenize(t, true, true))).get(30, TimeUnit.SECONDS).get(0));
            }
            List<int[]> all = texts.stream().map(t -> e.tokenize(t, true, true)).toList();
            List<float[]> together = e.embed("r", all).get(30, TimeUnit.SECONDS);
            assertEquals(16, together.size());
            List<CompletableFuture<List<float[]>>> concurrent = new ArrayList<>();
            for (int[] in : all) {
                concurrent.add(e.embed("r", List.of(in)));
            }
            for (int i = 0; i < 16; i++) {
                assertClose(sequential.get(i), together.get(i), 1e-4f);
                assertClose(sequential.get(i), concurrent.get(i).get(30, TimeUnit.SECONDS).get(0), 1e-4f);
            }
        }
    }

    @Test
    void aVectorDoesNotDependOnTheOtherSequencesOfItsBatch() throws Exception {
        try (LlamaEmbeddingEngine e = start(TestModels.embedding(), 4)) {
            int[] text = e.tokenize("the quick brown fox jumps over the lazy dog", true, true);
            int[] longer = e.tokenize("paris is the capital of france and a city of many bridges ".repeat(6), true, true);
            float[] alone = e.embed("r", List.of(text)).get(30, TimeUnit.SECONDS).get(0);
            List<float[]> mixed = e.embed("r", List.of(longer, text, e.tokenize("a", true, true)))
                    .get(30, TimeUnit.SECONDS);
            assertArrayEquals(alone, mixed.get(1), "the same floats alone and beside other inputs");
        }
    }

    @Test
    void rankingPairsAreLaidOutAsTheVocabularyAddsSpecialTokens() throws Exception {
        try (LlamaEmbeddingEngine e = start(TestModels.reranker(), 2)) {
            assertTrue(e.ranks());
            int[] q = e.tokenize("what is the capital", false, false);
            int[] d = e.tokenize("paris", false, false);
            // the generated BERT adds BOS (= [CLS]) and SEP, not EOS: [CLS] query [SEP] document
            int[] expected = new int[q.length + d.length + 2];
            expected[0] = SpecialTokens.BERT_CLS;
            System.arraycopy(q, 0, expected, 1, q.length);
            expected[q.length + 1] = SpecialTokens.BERT_SEP;
            System.arraycopy(d, 0, expected, q.length + 2, d.length);
            assertArrayEquals(expected, e.rankingPair("what is the capital", "paris"));
            int[] floor = e.rankingFloor("what is the capital");
            assertEquals(q.length + 3, floor.length);
            assertEquals(SpecialTokens.BERT_UNK, floor[floor.length - 1], "the unknown token is the document");
            float alone = e.embed("r", List.of(expected)).get(30, TimeUnit.SECONDS).get(0)[0];
            float inBatch = e.embed("r", List.of(floor, expected, e.rankingPair("q", "d".repeat(40))))
                    .get(30, TimeUnit.SECONDS).get(1)[0];
            assertEquals(alone, inBatch, 0f, "a pair scores the same alone and in a batch");
        }
    }

    @Test
    void badInputsAreRefused() {
        try (LlamaEmbeddingEngine e = start(TestModels.embedding(), 2)) {
            assertThrows(EngineException.class, () -> e.embed("r", List.of(new int[0])));
            assertThrows(EngineException.class, () -> e.embed("r", List.of(new int[] {1, 1 << 24})));
            assertThrows(EngineException.class, () -> e.embed("r", List.of(new int[300])));
            assertThrows(EngineException.class, () -> e.embed("r", List.of()));
        }
    }

    private static void assertClose(float[] a, float[] b, float tol) {
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], tol, "component " + i);
        }
    }
}
