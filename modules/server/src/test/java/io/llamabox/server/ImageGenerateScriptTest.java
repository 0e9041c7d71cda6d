package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.llamabox.spi.image.ImageRequest;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tools/image_generate.sh} against a test server: the PNGs it writes and the paths it prints. */
class ImageGenerateScriptTest {
    private static final Path SCRIPT = Path.of("../../tools/image_generate.sh");

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private record Run(int exit, List<String> stdout, String stderr) {
    }

    private static Run run(TestServer server, Path out, String stdin, String... args) throws Exception {
        return run(SCRIPT, Map.of(), server, out, stdin, args);
    }

    private static Run run(Path script, Map<String, String> env, TestServer server, Path out, String stdin,
            String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("API_URL", "http://127.0.0.1:" + server.server.port());
        pb.environment().put("OUTPUT_DIR", out.toString());
        pb.environment().put("N", "2");
        pb.environment().put("SIZE", "256x320");
        pb.environment().put("SEED", "11");
        pb.environment().putAll(env);
        Path err = out.resolveSibling(out.getFileName() + ".stderr");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the script ended"); // a guard against a hang, not a measure
        return new Run(p.exitValue(), stdout.lines().toList(), Files.readString(err));
    }

    @Test
    void oneShotWritesEachImageAsAPngAndPrintsItsPath(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("bash") && onPath("curl") && onPath("jq") && onPath("base64"), "bash, curl, jq and base64");
        ScriptedImageEngine engine = new ScriptedImageEngine();
        try (TestServer s = TestServer.images(engine, b -> b)) {
            Path out = dir.resolve("images");
            Run r = run(s, out, "", "A lovely cat");
            assertEquals(0, r.exit(), r.stderr());
            assertEquals(2, r.stdout().size(), r.stdout().toString());
            for (int i = 0; i < 2; i++) {
                Path png = Path.of(r.stdout().get(i));
                assertEquals(out, png.getParent());
                assertTrue(png.getFileName().toString().endsWith("-" + i + ".png"), png.toString());
                assertArrayEquals(ScriptedImageEngine.image(256, 320, 11 + i).png(), Files.readAllBytes(png));
            }
            assertEquals("A lovely cat", engine.lastRequest().prompt());
            assertEquals(2, engine.lastRequest().count());
        }
    }

    @Test
    void interactiveReadsPromptsUntilAnEmptyLine(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("bash") && onPath("curl") && onPath("jq") && onPath("base64"), "bash, curl, jq and base64");
        ScriptedImageEngine engine = new ScriptedImageEngine();
        try (TestServer s = TestServer.images(engine, b -> b)) {
            Run r = run(s, dir.resolve("images"), "a red fox\na blue bird\n\nnot read\n");
            assertEquals(0, r.exit(), r.stderr());
            assertEquals(4, r.stdout().size(), "two images of each of two prompts: " + r.stdout());
            assertEquals(4, r.stdout().stream().distinct().count(), "no image overwrites another");
            assertEquals(List.of("a red fox", "a blue bird"),
                    engine.requests.stream().map(ImageRequest::prompt).toList());
        }
    }

    @Test
    void anInvalidRequestFailsWithTheServersMessage(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("bash") && onPath("curl") && onPath("jq") && onPath("base64"), "bash, curl, jq and base64");
        try (TestServer s = TestServer.images(new ScriptedImageEngine(),
                b -> b.imageLimits(new ServerConfig.ImageLimits(1, 1024, 1024)))) {
            Run r = run(s, dir.resolve("images"), "", "A lovely cat");
            assertEquals(1, r.exit());
            assertTrue(r.stdout().isEmpty(), r.stdout().toString());
            assertTrue(r.stderr().contains("--image-max-batch"), r.stderr());
        }
    }

    @Test
    void anEditSendsThePictureAndMaskAsAForm(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("bash") && onPath("curl") && onPath("jq") && onPath("base64"), "bash, curl, jq and base64");
        ScriptedImageEngine engine = new ScriptedImageEngine();
        Path picture = dir.resolve("in.png");
        Path mask = dir.resolve("mask.png");
        Files.write(picture, ScriptedImageEngine.png(320, 256, 0x336699));
        Files.write(mask, ScriptedImageEngine.png(320, 256, 0xffffff));
        try (TestServer s = TestServer.images(engine, b -> b)) {
            Run r = run(Path.of("../../tools/image_edit.sh"), Map.of("IMAGE", picture.toString(), "MASK",
                    mask.toString(), "SIZE", "", "STRENGTH", "0.4"), s, dir.resolve("images"), "", "@not-a-file <nor this");
            assertEquals(0, r.exit(), r.stderr());
            assertEquals(2, r.stdout().size(), r.stdout().toString());
            ImageRequest req = engine.lastRequest();
            assertEquals("@not-a-file <nor this", req.prompt(), "the prompt is text, never a file to upload");
            assertEquals(320, req.width(), "the picture's size");
            assertEquals(256, req.height());
            assertEquals(0.4, req.edit().strength(), 1e-6);
            assertEquals(0x33, req.edit().rgb()[0] & 0xff);
            assertEquals(255, req.edit().mask()[0] & 0xff, "white is repainted");
            assertEquals(2, req.count());
        }
    }

    @Test
    void anEditWithoutAPictureSaysSo(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("bash"), "bash");
        try (TestServer s = TestServer.images(new ScriptedImageEngine(), b -> b)) {
            Run r = run(Path.of("../../tools/image_edit.sh"), Map.of(), s, dir.resolve("images"), "", "x");
            assertEquals(1, r.exit());
            assertTrue(r.stderr().contains("set IMAGE"), r.stderr());
        }
    }
}
