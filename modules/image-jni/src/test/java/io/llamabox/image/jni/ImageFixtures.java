package io.llamabox.image.jni;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Image models and the peer for the image bridge tests. */
final class ImageFixtures {
    /** Threads for every generation in the tests, ours and the peer's ({@code -t}). */
    static final int THREADS = 2;

    /**
     * Where a random-weight SD 1.x model comes from: the testkit's {@code TestModels.sd1()} (branch
     * image-models), or a file named by {@code -Dllamabox.test.sd1} for trying an unmerged generator.
     */
    static final String SD1_PROPERTY = "llamabox.test.sd1";

    private ImageFixtures() {
    }

    /** The generated SD 1.x model, or empty while the testkit cannot make one. */
    static Optional<Path> sd1() {
        String configured = System.getProperty(SD1_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        try {
            Class<?> models = Class.forName("io.llamabox.testkit.model.TestModels");
            Method sd1 = models.getMethod("sd1");
            return Optional.of((Path) sd1.invoke(null));
        } catch (NoSuchMethodException | ClassNotFoundException e) {
            return Optional.empty();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("TestModels.sd1() failed", e);
        }
    }

    /** The SD 1.x model; the calling test is skipped (not failed) while the testkit lacks the generator. */
    static Path requireSd1() {
        Optional<Path> model = sd1();
        assumeTrue(model.isPresent(), "needs io.llamabox.testkit.model.TestModels.sd1() (random-weight SD 1.x"
                + " generator, branch image-models) or -D" + SD1_PROPERTY + "=FILE");
        return model.get();
    }

    /** The directory of libllamabox-image, sd-cli and sd-server. */
    static Path nativeDir() {
        Path configured = Path.of(System.getProperty(DiffusionLibrary.PATH_PROPERTY, "target/native"));
        return Files.isDirectory(configured) ? configured : configured.getParent();
    }

    static Path library() {
        return nativeDir().resolve(System.mapLibraryName(DiffusionLibrary.NAME));
    }

    static Path sdCli() {
        return nativeDir().resolve("sd-cli");
    }

    static DiffusionModelParams params(Path model) {
        return DiffusionModelParams.builder(model).threads(THREADS).build();
    }
}
