package io.llamabox.engine;

import io.llamabox.jni.ContextParams;
import io.llamabox.jni.Llama;
import io.llamabox.jni.ModelParams;
import io.llamabox.spi.GenerationRequest;
import io.llamabox.spi.Sampling;
import io.llamabox.testkit.model.TestModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Engines over generated models, and requests for them. */
final class Engines {
    private static boolean backends;

    private Engines() {
    }

    static LlamaTextEngine start(Path model, int slots, int ctxPerSlot) {
        return start(model, slots, ctxPerSlot, 0);
    }

    /** With {@code --cache-reuse cacheReuse}. */
    static LlamaTextEngine start(Path model, int slots, int ctxPerSlot, int cacheReuse) {
        return start(model, slots, ctxPerSlot, cacheReuse, 0);
    }

    /** With {@code --cache-reuse cacheReuse} and {@code promptMemoryBytes} of {@code --cache-ram}. */
    static synchronized LlamaTextEngine start(Path model, int slots, int ctxPerSlot, int cacheReuse,
                                              long promptMemoryBytes) {
        if (!backends) {
            Llama.loadDefaultBackends();
            backends = true;
        }
        ContextParams ctx = ContextParams.text(slots * ctxPerSlot, 512, slots, 2);
        EngineSettings s = new EngineSettings(model, "test", ModelParams.defaults(), ctx, slots, true, true, cacheReuse, 0.5f,
                true, 0, true, false, null, null, promptMemoryBytes);
        return LlamaTextEngine.start(s, null);
    }

    static LlamaTextEngine llama(int slots, int ctxPerSlot) {
        return start(TestModels.llama(), slots, ctxPerSlot);
    }

    static Sampling greedy() {
        return new Sampling(-1, List.of("penalties", "dry", "top_k", "typ_p", "top_p", "min_p", "xtc", "temperature"),
                0f, 0f, 1f, 40, 0.9f, 0.1f, 1f, 0f, 0.1f, 64, 1f, 0f, 0f, 0f, 1.75f, 2, -1,
                List.of("\n", ":", "\"", "*"), 0, 5f, 0.1f, Map.of(), null, false, List.of(), List.of(), 0, -1f);
    }

    static GenerationRequest request(int[] prompt, int maxTokens, List<String> stop, double tps) {
        return new GenerationRequest("test-" + System.nanoTime(), prompt, greedy(), maxTokens, stop, false, 0, 0,
                true, -1, tps, false);
    }
}
