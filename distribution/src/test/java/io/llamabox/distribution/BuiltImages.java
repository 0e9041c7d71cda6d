package io.llamabox.distribution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The files build-image wrote for the CPU image, as the pom passes their directory and version. */
final class BuiltImages {
    private BuiltImages() {
    }

    /** {@code llama-box-cpu-<version>-linux-<arch>.tar.gz} */
    static Path cpuTarball() {
        return existing(".tar.gz", "the build makes it unless -Dllamabox.images leaves cpu out");
    }

    /** {@code llama-box-cpu-<version>-linux-<arch>.oci.tar} */
    static Path cpuOciArchive() {
        return existing(".oci.tar", "build-image --oci writes it");
    }

    private static Path existing(String suffix, String why) {
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        Path file = Path.of(System.getProperty("llamabox.images.dir"))
                .resolve("llama-box-cpu-" + System.getProperty("llamabox.version") + "-linux-" + arch + suffix);
        assertTrue(Files.isRegularFile(file), file + " is missing: " + why);
        return file;
    }
}
