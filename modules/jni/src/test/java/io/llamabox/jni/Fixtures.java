package io.llamabox.jni;

import io.llamabox.testkit.model.EncoderSpec;
import io.llamabox.testkit.model.Pooling;
import io.llamabox.testkit.model.TestModels;
import java.nio.file.Path;

/** Generated models shared by the bridge tests, and the one-time backend set-up. */
final class Fixtures {
    private static volatile boolean backends;

    private Fixtures() {
    }

    static synchronized void backends() {
        if (!backends) {
            Llama.loadDefaultBackends();
            backends = true;
        }
    }

    static Model load(Path path) {
        backends();
        return Model.load(path, ModelParams.defaults(), LoadProgress.NONE);
    }

    static Path llama() {
        return TestModels.llama();
    }

    static Path qwen2() {
        return TestModels.qwen2();
    }

    static Path embedding(Pooling pooling) {
        return TestModels.get(EncoderSpec.tinyEmbedding().withPooling(pooling)
                .withName("tiny-bert-" + pooling.name().toLowerCase()), TestModels.defaultDirectory());
    }

    static Path reranker() {
        return TestModels.reranker();
    }
}
