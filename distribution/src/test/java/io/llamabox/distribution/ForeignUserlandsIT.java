package io.llamabox.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.testkit.model.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CPU image's tarball unpacked in userlands older than the build root, as the user nobody with an empty
 * environment, from a path with a space and through a symlink: this machine's own (tools/devenv shows it,
 * read-only, at {@code llamabox.host.root}) and a Debian 11 root (glibc 2.31), made once with debootstrap and
 * kept in {@code llamabox.userlands.dir}. The image carries its loader and C library; the userland gives the
 * kernel's view only.
 */
class ForeignUserlandsIT {
    private static final String SERVER = "/tmp/bin/llama-box";
    private static final int NOBODY = 65534;

    @TempDir
    static Path dir;
    private static Path models;
    private static String llama;
    private static String sd1;
    private static List<Userland> userlands;

    @BeforeAll
    static void prepare() throws Exception {
        Path tarball = BuiltImages.cpuTarball();
        models = dir.resolve("models");
        Files.createDirectories(models);
        llama = "/tmp/models/" + TestModels.llama(models).getFileName();
        sd1 = "/tmp/models/" + TestModels.sd1(models).getFileName();
        Userland.shareWithEveryone(models);

        Path host = Path.of(System.getProperty("llamabox.host.root"));
        assertTrue(Files.isDirectory(host.resolve("usr/lib")), host + " does not show this machine's userland: run the"
                + " build through tools/devenv, which mounts it there");
        Path bullseye = Path.of(System.getProperty("llamabox.userlands.dir"), "debian-11");
        Process make = new ProcessBuilder(Path.of(System.getProperty("llamabox.userland.scripts"), "make-root").toString(),
                "bullseye", bullseye.toString()).inheritIO().start();
        assertTrue(make.waitFor(30, TimeUnit.MINUTES), "debootstrap hangs");
        assertEquals(0, make.exitValue(), "debootstrap bullseye into " + bullseye);

        List<String> options = List.of("--unpack", tarball.toString(), "--models", models.toString(), "/tmp/models");
        userlands = List.of(new Userland("this machine's own", host, options), new Userland("Debian 11", bullseye, options));
    }

    static List<Userland> userlands() {
        return userlands;
    }

    /** The build root's C library version, which the image carries. */
    private static String buildGlibc() throws Exception {
        Process p = new ProcessBuilder("getconf", "GNU_LIBC_VERSION").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor());
        return out.substring("glibc ".length());
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("userlands")
    void theUserlandIsOlderThanTheBuildRootAndItsLoaderCannotStartTheImagesJava(Userland u) throws Exception {
        String glibc = u.glibc(dir);
        assertTrue(compareVersions(glibc, buildGlibc()) < 0, u + " has glibc " + glibc + ", not older than the build's");
        if (u.name().equals("Debian 11")) {
            assertEquals("2.31", glibc);
        }
        Userland.Result direct = u.run(dir, "/tmp/unpacked here/llama-box-cpu/bin/java", "-version");
        assertNotEquals(0, direct.status(), direct.output());
        assertTrue(direct.output().contains("GLIBC_2.") && direct.output().contains("not found"),
                "bin/java through the userland's own loader:\n" + direct.output());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("userlands")
    void itServesAChatAndAnEmbeddingAsAnOrdinaryUser(Userland u) throws Exception {
        Path log = Files.createTempFile(dir, "chat", ".log");
        Process p = u.start(log, SERVER, "-m", llama, "-c", "512", "--embeddings", "--pooling", "mean", "--host", "127.0.0.1",
                "--port", "0");
        try (RunningServer server = new RunningServer(p, log)) {
            assertEquals(NOBODY, server.uid());
            assertFalse(server.chat(8).isEmpty());
            assertTrue(server.embedding() > 0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("userlands")
    void itGeneratesAnImageAsAnOrdinaryUser(Userland u) throws Exception {
        Path log = Files.createTempFile(dir, "images", ".log");
        Process p = u.start(log, SERVER, "--images", "-m", sd1, "-t", "2", "--host", "127.0.0.1", "--port", "0");
        try (RunningServer server = new RunningServer(p, log)) {
            assertEquals(NOBODY, server.uid());
            server.image(256, 1);
        }
    }
}
