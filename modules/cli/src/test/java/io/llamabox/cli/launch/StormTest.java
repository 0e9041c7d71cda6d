package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.testkit.model.TestModels;
import io.llamabox.testkit.storm.Storm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounded storm of {@code tools/bench/storm}, against the real engine: hostile, dropped and normal
 * requests. {@code -n 64} caps every generation: a hostile body sent to {@code /completion} names no
 * {@code n_predict}, and without a cap it would generate until stopped (llama.cpp's default, -1).
 */
class StormTest {
    @TempDir
    Path dir;

    @Test
    void hostileBodiesDroppedStreamsAndNormalChatsGiveNo5xxNoHangNoBusySlotAndTheSameAnswer() throws Exception {
        try (BoxProcess box = BoxProcess.serve(dir.resolve("box.log"), Duration.ofSeconds(60),
                "-m", TestModels.llama().toString(), "-c", "4096", "-np", "4", "--slots", "-n", "64")) {
            int requests = Integer.getInteger("storm.requests", 120); // tools/bench/storm runs more
            Storm.Report r = Storm.run(Storm.Options.of(box.port(), requests));
            System.out.println(r.summary());
            assertTrue(r.ok(), r.summary());
            assertEquals(requests, r.kinds().values().stream().mapToInt(Integer::intValue).sum(), r.summary());
            assertTrue(r.kinds().containsKey("oversized body") && r.kinds().containsKey("dropped stream"), r.summary());
            assertTrue(box.process.isAlive(), "the server is up");
            assertEquals(200, BoxProcess.get(box.port(), "/health").statusCode());
            try (Stream<Path> files = Files.list(Path.of("."))) {
                assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("hs_err")), "no JVM crash");
            }
        }
    }
}
