package io.llamabox.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check-image} names what an image lacks once a library is gone. (That it passes the built image
 * is proven by the build itself: build-image runs it and fails with it.)
 */
class CheckImageIT {
    @TempDir
    static Path dir;
    private static Path image;

    @BeforeAll
    static void unpack() throws Exception {
        assertEquals(0, new ProcessBuilder("tar", "-xzf", BuiltImages.cpuTarball().toString(), "-C", dir.toString())
                .inheritIO().start().waitFor());
        image = dir.resolve("llama-box-cpu");
    }

    private static Userland.Result check() throws Exception {
        Path log = Files.createTempFile(dir, "check", ".log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("llamabox.distribution.dir"), "check-image").toString(),
                image.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        return new Userland.Result(p.exitValue(), Files.readString(log));
    }

    @Test
    void itFailsAnImageThatLacksTheOpenMpRuntimeNamingWhoNeedsIt() throws Exception {
        Files.delete(image.resolve("lib/sys/libgomp.so.1"));
        Userland.Result broken = check();
        assertEquals(1, broken.status(), broken.output());
        assertTrue(broken.output().contains("lib/native/libllamabox-image.so needs libgomp.so.1, which the image does not carry"),
                broken.output());
    }
}
