package io.llamabox.testkit.model;

import io.llamabox.testkit.gguf.GgufReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestModelsTest {

    @TempDir
    Path dir;

    @Test
    void writesEachModelOnceAndReusesIt() throws Exception {
        Path llama = TestModels.llama(dir);
        assertTrue(Files.isRegularFile(llama));
        FileTime written = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(llama, written);
        assertEquals(llama, TestModels.llama(dir));
        assertEquals(written, Files.getLastModifiedTime(llama), "a cached model is not rewritten");
        assertEquals("tiny-llama", GgufReader.read(llama).require("general.name").asString());

        Path other = TestModels.get(DecoderSpec.tinyLlama().withLayers(1), dir);
        assertNotEquals(llama, other, "another spec gets another file");
        assertEquals(1, GgufReader.read(other).require("llama.block_count").asInt());

        List<Path> all = List.of(TestModels.qwen2(dir), TestModels.embedding(dir), TestModels.reranker(dir));
        assertEquals(3, all.stream().distinct().count());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".writing-")),
                    "no temporary files are left behind");
        }
    }

    @Test
    void concurrentCallersGetOneCompleteFile() throws Exception {
        EncoderSpec spec = EncoderSpec.tinyEmbedding().withSeed(7);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Path>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> TestModels.get(spec, dir)));
            }
            Path first = futures.getFirst().get();
            for (Future<Path> f : futures) {
                assertEquals(first, f.get());
            }
            Path reference = dir.resolve("reference.gguf");
            ModelGenerator.write(spec, reference);
            assertEquals(-1L, Files.mismatch(first, reference));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fileNamesFollowTheSpecAndGeneratorVersion() {
        String a = TestModels.fileName("tiny llama", DecoderSpec.tinyLlama().toString());
        String b = TestModels.fileName("tiny llama", DecoderSpec.tinyLlama().withSeed(1).toString());
        assertTrue(a.startsWith("tiny_llama-") && a.endsWith(".gguf"), a);
        assertNotEquals(a, b);
        assertEquals(a, TestModels.fileName("tiny llama", DecoderSpec.tinyLlama().toString()));
    }
}
