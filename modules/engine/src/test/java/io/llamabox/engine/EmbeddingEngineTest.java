package io.llamabox.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.jni.Llama;
import io.llamabox.jni.ModelParams;
import io.llamabox.jni.PoolingType;
import io.llamabox.spi.EngineException;
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
