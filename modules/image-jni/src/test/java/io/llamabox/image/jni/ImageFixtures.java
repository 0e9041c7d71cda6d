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
        return testkitModel("sd1");
    }

    /** The SD 1.x model; the calling test is skipped (not failed) while the testkit lacks the generator. */
    static Path requireSd1() {
        Optional<Path> model = sd1();
        assumeTrue(model.isPresent(), "needs io.llamabox.testkit.model.TestModels.sd1() (random-weight SD 1.x"
                + " generator, branch image-models) or -D" + SD1_PROPERTY + "=FILE");
        return model.get();
    }

    /** The generated SD 2.x model ({@code TestModels.sd2()}); skips the calling test without it. */
    static Path requireSd2() {
        Optional<Path> model = testkitModel("sd2");
        assumeTrue(model.isPresent(), "needs io.llamabox.testkit.model.TestModels.sd2() (branch image-models)");
        return model.get();
    }

    /** A LoRA for the SD 1.x model ({@code TestModels.sd1Lora()}); skips the calling test without it. */
    static Path requireSd1Lora() {
        requireSd1();
        Optional<Path> lora = testkitModel("sd1Lora");
        assumeTrue(lora.isPresent(), "needs io.llamabox.testkit.model.TestModels.sd1Lora() (branch image-models)");
        return lora.get();
    }

    /** The SD 1.x inpainting model ({@code TestModels.sd1Inpaint()}); skips the calling test without it. */
    static Path requireSd1Inpaint() {
        return requireTestkitModel("sd1Inpaint");
    }

    /** A TAESD for SD 1.x ({@code TestModels.taesd()}); skips the calling test without it. */
    static Path requireTaesd() {
        return requireTestkitModel("taesd");
    }

    /** A ControlNet for SD 1.x ({@code TestModels.sd1ControlNet()}); skips the calling test without it. */
    static Path requireSd1ControlNet() {
        return requireTestkitModel("sd1ControlNet");
    }

    /** The SD 1.x model with the 320-wide UNet a ControlNet drives ({@code TestModels.sd1ForControlNet()}). */
    static Path requireSd1ForControlNet() {
        return requireTestkitModel("sd1ForControlNet");
    }

    /** An ESRGAN x4 upscaler ({@code TestModels.esrgan()}); skips the calling test without it. */
    static Path requireEsrgan() {
        return requireTestkitModel("esrgan");
    }

    private static Path requireTestkitModel(String name) {
        Optional<Path> model = testkitModel(name);
        assumeTrue(model.isPresent(), "needs io.llamabox.testkit.model.TestModels." + name + "()");
        return model.get();
    }

    /**
     * {@code TestModels.<name>()}, looked up by name so that this module compiles against a testkit that
     * does not have the image generators yet.
     */
    private static Optional<Path> testkitModel(String name) {
        try {
            Class<?> models = Class.forName("io.llamabox.testkit.model.TestModels");
            Method method = models.getMethod(name);
            return Optional.of((Path) method.invoke(null));
        } catch (NoSuchMethodException | ClassNotFoundException e) {
            return Optional.empty();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("TestModels." + name + "() failed", e);
        }
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
