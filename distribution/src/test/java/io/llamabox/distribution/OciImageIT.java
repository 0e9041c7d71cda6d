package io.llamabox.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.model.TestModels;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU image's OCI archive read as a container runtime reads it (index, manifest, config, layer, each
 * checked against its digest), its layer unpacked into a root file system, and its entrypoint started there
 * in a chroot as the image's user, with the image's environment and the models mounted at its volume.
 */
class OciImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static JsonNode config;
    private static Path rootfs;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = BuiltImages.cpuOciArchive();
        Path layout = dir.resolve("layout");
        Files.createDirectories(layout);
        tar("-xf", archive.toString(), "-C", layout.toString());
        assertEquals("1.0.0", JSON.readTree(layout.resolve("oci-layout").toFile()).get("imageLayoutVersion").asText());
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        assertEquals(1, index.get("manifests").size(), index.toString());
        JsonNode manifest = JSON.readTree(Files.readAllBytes(blob(layout, index.at("/manifests/0"))));
        config = JSON.readTree(Files.readAllBytes(blob(layout, manifest.get("config"))));
        assertEquals(1, manifest.get("layers").size(), manifest.toString());
        Path layer = blob(layout, manifest.at("/layers/0"));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(layer))) {
            assertEquals(config.at("/rootfs/diff_ids/0").asText(), "sha256:" + sha256(in), "the layer's diff id");
        }
        rootfs = dir.resolve("rootfs");
        Files.createDirectories(rootfs);
        tar("-xzf", layer.toString(), "-C", rootfs.toString());
    }

    private static void tar(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tar"));
        cmd.addAll(List.of(args));
        assertEquals(0, new ProcessBuilder(cmd).inheritIO().start().waitFor());
    }

    /** The blob a descriptor names, once its size and digest are checked. */
    private static Path blob(Path layout, JsonNode descriptor) throws Exception {
        String digest = descriptor.get("digest").asText();
        assertTrue(digest.startsWith("sha256:"), digest);
        Path blob = layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
        assertEquals(descriptor.get("size").asLong(), Files.size(blob), digest);
        try (InputStream in = Files.newInputStream(blob)) {
            assertEquals(digest, "sha256:" + sha256(in));
        }
        return blob;
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            md.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void itsConfigStartsTheLauncherOnPort8080AsANonRootUserWithModelsFromAVolume() {
        JsonNode c = config.get("config");
        assertEquals("[\"/opt/llama-box/bin/llama-box\"]", c.get("Entrypoint").toString());
        assertTrue(c.at("/ExposedPorts").has("8080/tcp"), c.toString());
        assertTrue(c.at("/Volumes").has("/models"), c.toString());
        assertTrue(c.get("Env").toString().contains("\"LLAMA_ARG_PORT=8080\""), c.toString());
        assertTrue(c.get("Env").toString().contains("\"LLAMA_ARG_HOST=0.0.0.0\""), c.toString());
        assertFalse(c.get("User").asText().isEmpty() || c.get("User").asText().startsWith("0"), c.toString());
        assertEquals("linux", config.get("os").asText());
    }

    @Test
    void itsRootFileSystemHoldsTheImageAndNoShell() {
        assertTrue(Files.isExecutable(rootfs.resolve("opt/llama-box/bin/llama-box")));
        assertTrue(Files.isRegularFile(rootfs.resolve("opt/llama-box/lib/llama-box.aot")));
        assertFalse(Files.exists(rootfs.resolve("bin/sh")), "the launcher needs no shell");
    }

    @Test
    void itServesAChatFromItsRootFileSystemAsItsUser() throws Exception {
        Path models = dir.resolve("models");
        Files.createDirectories(models);
        String model = TestModels.llama(models).getFileName().toString();
        Userland.shareWithEveryone(models);
        JsonNode c = config.get("config");
        List<String> options = new ArrayList<>(List.of("--user", c.get("User").asText(), "--models", models.toString(), "/models"));
        c.get("Env").forEach(e -> options.addAll(List.of("--env", e.asText())));
        Userland container = new Userland("the OCI image's root file system", rootfs, options);
        List<String> command = new ArrayList<>();
        c.get("Entrypoint").forEach(e -> command.add(e.asText()));
        // port 0 instead of the image's 8080: a test never binds a port chosen before
        command.addAll(List.of("-m", "/models/" + model, "-c", "512", "--port", "0", "--host", "127.0.0.1"));
        Path log = Files.createTempFile(dir, "oci", ".log");
        try (RunningServer server = new RunningServer(container.start(log, command.toArray(String[]::new)), log)) {
            assertEquals(Integer.parseInt(c.get("User").asText().split(":")[0]), server.uid());
            assertNotEquals(0, server.uid());
            assertFalse(server.chat(8).isEmpty());
        }
    }

}
