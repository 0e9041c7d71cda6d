package io.llamabox.testkit.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Generated models for tests, written once into a cache directory and reused.
 *
 * <p>A model's file name carries a hash of its spec and of {@link ModelGenerator#VERSION}, so a changed
 * spec or generator never reuses a stale file. Files are written to a temporary name and moved into
 * place, so concurrent test JVMs sharing a directory see either no file or a complete one.
 *
 * <pre>{@code
 * Path model = TestModels.llama(tempDir);                       // tiny llama, SPM vocabulary, ChatML
 * Path big = TestModels.get(DecoderSpec.tinyQwen2().withLayers(4).withFim(true), tempDir);
 * Path mmproj = TestModels.projector(tempDir);                  // LLaVA-style projector for the tiny llama
 * Path qwenVl = TestModels.qwen2Vl(tempDir);                    // tiny qwen2vl (M-RoPE) text model
 * Path merger = TestModels.mergerProjector(tempDir);            // its Qwen2-VL-style projector
 * Path sd1 = TestModels.sd1(tempDir);                           // tiny Stable Diffusion 1.x (stable-diffusion.cpp)
 * Path lora = TestModels.sd1Lora(tempDir);                      // a LoRA for it
 * Path esrgan = TestModels.esrgan(tempDir);                     // an ESRGAN x4 upscaler (also taesd, sd1Inpaint, sd1ControlNet)
 * }</pre>
 *
 * The no-argument variants use {@link #defaultDirectory()}.
 */
public final class TestModels {

    /** System property naming the default cache directory. */
    public static final String CACHE_PROPERTY = "llamabox.testkit.models";

    private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private TestModels() {
    }

    /** {@code -Dllamabox.testkit.models}, else {@code <java.io.tmpdir>/llama-box-testkit-models}. */
    public static Path defaultDirectory() {
        String dir = System.getProperty(CACHE_PROPERTY);
        if (dir == null || dir.isBlank()) {
            return Path.of(System.getProperty("java.io.tmpdir"), "llama-box-testkit-models");
        }
        return Path.of(dir);
    }

    /** The tiny llama model ({@link DecoderSpec#tinyLlama()}). */
    public static Path llama(Path dir) {
        return get(DecoderSpec.tinyLlama(), dir);
    }

    public static Path llama() {
        return llama(defaultDirectory());
    }

    /** The tiny qwen2 model ({@link DecoderSpec#tinyQwen2()}). */
    public static Path qwen2(Path dir) {
        return get(DecoderSpec.tinyQwen2(), dir);
    }

    public static Path qwen2() {
        return qwen2(defaultDirectory());
    }

    /** The tiny BERT embedding model ({@link EncoderSpec#tinyEmbedding()}). */
    public static Path embedding(Path dir) {
        return get(EncoderSpec.tinyEmbedding(), dir);
    }

    public static Path embedding() {
        return embedding(defaultDirectory());
    }

    /** The tiny BERT reranker ({@link EncoderSpec#tinyReranker()}). */
    public static Path reranker(Path dir) {
        return get(EncoderSpec.tinyReranker(), dir);
    }

    public static Path reranker() {
        return reranker(defaultDirectory());
    }

    /** The tiny vision projector for the tiny llama model ({@link ProjectorSpec#tinyFor}). */
    public static Path projector(Path dir) {
        return get(ProjectorSpec.tinyFor(DecoderSpec.tinyLlama()), dir);
    }

    public static Path projector() {
        return projector(defaultDirectory());
    }

    /** The tiny Gemma 3 model ({@link DecoderSpec#tinyGemma3()}: sliding-window attention). */
    public static Path gemma3(Path dir) {
        return get(DecoderSpec.tinyGemma3(), dir);
    }

    public static Path gemma3() {
        return gemma3(defaultDirectory());
    }

    /** The tiny Qwen2-VL text model ({@link DecoderSpec#tinyQwen2Vl()}: {@code qwen2vl}, M-RoPE). */
    public static Path qwen2Vl(Path dir) {
        return get(DecoderSpec.tinyQwen2Vl(), dir);
    }

    public static Path qwen2Vl() {
        return qwen2Vl(defaultDirectory());
    }

    /** The tiny Qwen2-VL-style projector for the tiny Qwen2-VL model ({@link ProjectorSpec#tinyMergerFor}). */
    public static Path mergerProjector(Path dir) {
        return get(ProjectorSpec.tinyMergerFor(DecoderSpec.tinyQwen2Vl()), dir);
    }

    public static Path mergerProjector() {
        return mergerProjector(defaultDirectory());
    }

    /**
     * The tiny Stable Diffusion 1.x model ({@link DiffusionSpec#tinySd1()}: full-size CLIP ViT-L/14 text
     * encoder and VAE encoder, UNet and VAE decoder 32 wide), which stable-diffusion.cpp loads as SD 1.x.
     */
    public static Path sd1(Path dir) {
        return get(DiffusionSpec.tinySd1(), dir);
    }

    public static Path sd1() {
        return sd1(defaultDirectory());
    }

    /**
     * The tiny Stable Diffusion 2.x model ({@link DiffusionSpec#tinySd2()}: full-size OpenCLIP ViT-H/14 text
     * encoder and VAE encoder, UNet 64 and VAE decoder 32 wide), which stable-diffusion.cpp loads as SD 2.x.
     */
    public static Path sd2(Path dir) {
        return get(DiffusionSpec.tinySd2(), dir);
    }

    public static Path sd2() {
        return sd2(defaultDirectory());
    }

    /** A LoRA for {@link #sd1(Path)} ({@link DiffusionLoraSpec#of}): kohya names, UNet attention projections. */
    public static Path sd1Lora(Path dir) {
        return get(DiffusionLoraSpec.of(DiffusionSpec.tinySd1()), dir);
    }

    public static Path sd1Lora() {
        return sd1Lora(defaultDirectory());
    }

    /** The tiny SD 1.x inpainting model ({@link DiffusionSpec#tinySd1Inpaint()}: {@link #sd1(Path)} with a 9-channel UNet input). */
    public static Path sd1Inpaint(Path dir) {
        return get(DiffusionSpec.tinySd1Inpaint(), dir);
    }

    public static Path sd1Inpaint() {
        return sd1Inpaint(defaultDirectory());
    }

    /** A TAESD for SD 1.x latents ({@link DiffusionPartSpec.Kind#TAESD}). */
    public static Path taesd(Path dir) {
        return get(DiffusionPartSpec.of(DiffusionPartSpec.Kind.TAESD), dir);
    }

    public static Path taesd() {
        return taesd(defaultDirectory());
    }

    /**
     * A ControlNet for SD 1.x ({@link DiffusionPartSpec.Kind#CONTROL_NET}), full width as stable-diffusion.cpp
     * requires; it drives {@link #sd1ForControlNet(Path)}, not the 32-wide {@link #sd1(Path)}.
     */
    public static Path sd1ControlNet(Path dir) {
        return get(DiffusionPartSpec.of(DiffusionPartSpec.Kind.CONTROL_NET), dir);
    }

    public static Path sd1ControlNet() {
        return sd1ControlNet(defaultDirectory());
    }

    /** The SD 1.x model with a 320-wide UNet that {@link #sd1ControlNet(Path)} can drive ({@link DiffusionSpec#sd1ForControlNet()}). */
    public static Path sd1ForControlNet(Path dir) {
        return get(DiffusionSpec.sd1ForControlNet(), dir);
    }

    public static Path sd1ForControlNet() {
        return sd1ForControlNet(defaultDirectory());
    }

    /** An ESRGAN x4 upscaler with one block ({@link DiffusionPartSpec.Kind#ESRGAN}). */
    public static Path esrgan(Path dir) {
        return get(DiffusionPartSpec.of(DiffusionPartSpec.Kind.ESRGAN), dir);
    }

    public static Path esrgan() {
        return esrgan(defaultDirectory());
    }

    /** The image-model piece of {@code spec} in {@code dir}, written if it is not there yet. */
    public static Path get(DiffusionPartSpec spec, Path dir) {
        return cached(dir, spec.name(), diffusionText(spec), p -> DiffusionPartGenerator.write(spec, p));
    }

    /** The image model of {@code spec} in {@code dir}, written if it is not there yet. */
    public static Path get(DiffusionSpec spec, Path dir) {
        return cached(dir, spec.name(), diffusionText(spec), p -> DiffusionModelGenerator.write(spec, p));
    }

    /** The image-model LoRA of {@code spec} in {@code dir}, written if it is not there yet. */
    public static Path get(DiffusionLoraSpec spec, Path dir) {
        return cached(dir, spec.name(), diffusionText(spec), p -> DiffusionModelGenerator.write(spec, p));
    }

    private static String diffusionText(Record spec) {
        return "diffusion v" + DiffusionModelGenerator.VERSION + "\n" + spec;
    }

    /** The vision projector of {@code spec} in {@code dir}, written if it is not there yet. */
    public static Path get(ProjectorSpec spec, Path dir) {
        return cached(dir, spec.name(), spec.toString(), p -> ModelGenerator.write(spec, p));
    }

    /** The model of {@code spec} in {@code dir}, written if it is not there yet. */
    public static Path get(DecoderSpec spec, Path dir) {
        return cached(dir, spec.name(), spec.toString(), p -> ModelGenerator.write(spec, p));
    }

    /** The model of {@code spec} in {@code dir}, written if it is not there yet. */
    public static Path get(EncoderSpec spec, Path dir) {
        return cached(dir, spec.name(), spec.toString(), p -> ModelGenerator.write(spec, p));
    }

    /** The file name a spec is cached under. */
    public static String fileName(String name, String specText) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe + "-" + hash("v" + ModelGenerator.VERSION + "\n" + specText) + ".gguf";
    }

    @FunctionalInterface
    private interface Write {
        void to(Path path) throws IOException;
    }

    private static Path cached(Path dir, String name, String specText, Write write) {
        Path target = dir.resolve(fileName(name, specText)).toAbsolutePath();
        synchronized (LOCKS.computeIfAbsent(target, k -> new Object())) {
            if (Files.isRegularFile(target)) {
                return target;
            }
            try {
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, ".writing-", ".gguf");
                try {
                    write.to(tmp);
                    try {
                        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                } finally {
                    Files.deleteIfExists(tmp);
                }
                return target;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write test model " + target, e);
            }
        }
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
