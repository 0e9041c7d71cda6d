package io.llamabox.jni;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken model files give a clear error naming the file; loading reports progress and can be cancelled. */
class ModelFileErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.gguf");
        LlamaException e = assertThrows(LlamaException.class, () -> Fixtures.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void aFileThatIsNotGgufIsNamed() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.gguf"), "this is not a model");
        LlamaException e = assertThrows(LlamaException.class, () -> Fixtures.load(text));
        assertTrue(e.getMessage().contains(text.toString()) && e.getMessage().contains("GGUF"), e.getMessage());
    }

    @Test
    void aTruncatedGgufIsNamed() throws Exception {
        byte[] full = Files.readAllBytes(Fixtures.llama());
        for (int keep : new int[] {full.length / 2, 64, 8}) {
            Path cut = dir.resolve("cut-" + keep + ".gguf");
            Files.write(cut, java.util.Arrays.copyOf(full, keep));
            LlamaException e = assertThrows(LlamaException.class, () -> Fixtures.load(cut));
            assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
        }
    }

    @Test
    void loadingReportsProgressUpToCompletion() {
        Fixtures.backends();
        List<Float> seen = new ArrayList<>();
        try (Model m = Model.load(Fixtures.llama(), ModelParams.defaults().withMemory(false, false), f -> {
            seen.add(f);
            return true;
        })) {
            assertTrue(m.info().nLayer() > 0);
        }
        assertTrue(!seen.isEmpty(), "progress was reported");
        assertTrue(seen.get(seen.size() - 1) >= 0.999f, "progress reached 1: " + seen);
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) >= seen.get(i - 1), "progress never goes back: " + seen);
        }
    }

    @Test
    void loadingCanBeCancelled() {
        Fixtures.backends();
        assertThrows(LoadCancelledException.class,
                () -> Model.load(Fixtures.llama(), ModelParams.defaults().withMemory(false, false), f -> false));
        // and a later load of the same file works
        try (Model m = Fixtures.load(Fixtures.llama())) {
            assertTrue(m.vocab().size() > 0);
        }
    }
}
