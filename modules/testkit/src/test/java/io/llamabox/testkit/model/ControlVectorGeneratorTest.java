package io.llamabox.testkit.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.testkit.gguf.GgmlType;
import io.llamabox.testkit.gguf.GgufFile;
import io.llamabox.testkit.gguf.GgufReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Control vectors hold one F32 direction of the model's width per asked layer, and the same seed gives the same file. */
class ControlVectorGeneratorTest {
    @TempDir
    Path dir;

    @Test
    void oneDirectionPerLayerOfTheModelsWidth() throws IOException {
        Path p = dir.resolve("cv.gguf");
        ControlVectorGenerator.write(64, 1, new int[] {1, 3}, p);
        GgufFile g = GgufReader.read(p);
        assertEquals("controlvector", g.require("general.architecture").asString());
        for (String name : new String[] {"direction.1", "direction.3"}) {
            var t = g.tensor(name).orElseThrow();
            assertEquals(GgmlType.F32, t.type());
            assertArrayEquals(new long[] {64}, t.dims());
        }
        assertTrue(g.tensor("direction.2").isEmpty());
        Path again = dir.resolve("again.gguf");
        ControlVectorGenerator.write(64, 1, new int[] {1, 3}, again);
        assertEquals(-1L, Files.mismatch(p, again));
        Path other = dir.resolve("other.gguf");
        ControlVectorGenerator.write(64, 2, new int[] {1, 3}, other);
        assertTrue(Files.mismatch(p, other) >= 0, "another seed, other values");
    }

    @Test
    void layerZeroAndEmptyVectorsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> ControlVectorGenerator.write(64, 1, new int[] {0}, dir.resolve("a.gguf")));
        assertThrows(IllegalArgumentException.class,
                () -> ControlVectorGenerator.write(64, 1, new int[0], dir.resolve("b.gguf")));
    }
}
