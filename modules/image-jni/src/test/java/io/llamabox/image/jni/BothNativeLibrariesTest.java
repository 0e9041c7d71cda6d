package io.llamabox.image.jni;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.jni.Batch;
import io.llamabox.jni.Context;
import io.llamabox.jni.ContextParams;
import io.llamabox.jni.Llama;
import io.llamabox.jni.LoadProgress;
import io.llamabox.jni.Model;
import io.llamabox.jni.ModelParams;
import io.llamabox.testkit.model.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * libllamabox (the system libllama and libggml) and libllamabox-image (its own ggml) in one JVM: each
 * keeps working, before, between and after the other's calls.
 */
class BothNativeLibrariesTest {

    @Test
    void textAndImageLibrariesWorkSideBySide() throws IOException {
        Llama.loadDefaultBackends();
        try (Model llama = Model.load(TestModels.llama(), ModelParams.defaults(), LoadProgress.NONE)) {
            int[] tokens = llama.vocab().tokenize("The quick brown fox", true, false);
            float[] logits = lastLogits(llama, tokens);

            DiffusionLibrary.load();
            assertTrue(!DiffusionLibrary.systemInfo().isBlank());
            // the image library reads the same llama GGUF with its own ggml, and refuses it
            assertThrows(DiffusionException.class, () -> DiffusionContext.inspect(TestModels.llama()));
            Optional<Path> sd1 = ImageFixtures.sd1();
            if (sd1.isPresent()) {
                try (DiffusionContext image = DiffusionContext.load(ImageFixtures.params(sd1.get()))) {
                    List<RawImage> out = image.generate(GenerationParams.builder("a lighthouse").size(64, 64)
                            .steps(1).build(), GenerationListener.NONE);
                    assertEquals(1, out.size());
                }
            }

            // the text side computes as before
            assertArrayEquals(tokens, llama.vocab().tokenize("The quick brown fox", true, false));
            assertArrayEquals(logits, lastLogits(llama, tokens));
        }
        String maps = Files.readString(Path.of("/proc/self/maps"));
        assertTrue(maps.contains("libggml-base.so"), "the system ggml is mapped");
        assertTrue(maps.contains(System.mapLibraryName(DiffusionLibrary.NAME)), "the image library is mapped");
    }

    private static float[] lastLogits(Model model, int[] tokens) {
        try (Context context = new Context(model, ContextParams.text(128, 64, 1, ImageFixtures.THREADS));
                Batch batch = Batch.allocate(64)) {
            int last = 0;
            for (int i = 0; i < tokens.length; i++) {
                last = batch.add(tokens[i], i, 0, i == tokens.length - 1);
            }
            assertEquals(0, context.decode(batch));
            return context.logits(last);
        }
    }
}
