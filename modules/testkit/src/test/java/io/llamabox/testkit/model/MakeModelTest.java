package io.llamabox.testkit.model;

import io.llamabox.testkit.gguf.GgmlType;
import io.llamabox.testkit.gguf.GgufFile;
import io.llamabox.testkit.gguf.GgufReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MakeModelTest {

    @TempDir
    Path dir;

    private String run(String... args) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            assertEquals(0, MakeModel.run(args, out));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsUsage() throws IOException {
        String out = run("--help");
        assertTrue(out.startsWith("usage: make-model ARCH OUT.gguf"), out);
        assertTrue(out.contains("--chat-template-file"));
        assertTrue(out.contains("| sd1 | sd2 ") && out.contains("| sd1-lora "), out);
        for (String kind : new String[] {"| sd1-inpaint ", "| sd1-controlnet-base ", "| sd1-controlnet ", "| taesd ", "| esrgan "}) {
            assertTrue(out.contains(kind), kind + " in " + out);
        }
    }

    @Test
    void anImageModelLoraIsWrittenLikeTheTestModels() throws IOException {
        Path out = dir.resolve("lora.gguf");
        String report = run("sd1-lora", out.toString(), "--seed", "9", "--name", "my-lora");
        assertTrue(report.contains("128 UNet attention projections"), report);
        Path same = dir.resolve("same.gguf");
        DiffusionModelGenerator.write(DiffusionLoraSpec.of(DiffusionSpec.tinySd1()).withSeed(9).withName("my-lora"), same);
        assertEquals(-1L, Files.mismatch(out, same), "the tool writes what the API writes");
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        for (String kind : new String[] {"sd1", "sd2", "sd1-lora", "sd1-inpaint", "sd1-controlnet-base", "taesd", "sd1-controlnet", "esrgan"}) {
            assertThrows(IllegalArgumentException.class, () -> MakeModel.run(new String[] {kind, out.toString(), "--layers", "2"}, sink));
            assertThrows(IllegalArgumentException.class, () -> MakeModel.run(new String[] {kind, out.toString(), "--type", "f16"}, sink));
        }
    }

    @Test
    void theImageModelPiecesAreWrittenLikeTheTestModels() throws IOException {
        Path out = dir.resolve("esrgan.gguf");
        String report = run("esrgan", out.toString(), "--seed", "5", "--name", "up");
        assertTrue(report.contains("esrgan up, seed 5"), report);
        Path same = dir.resolve("same-esrgan.gguf");
        DiffusionPartGenerator.write(DiffusionPartSpec.of(DiffusionPartSpec.Kind.ESRGAN).withSeed(5).withName("up"), same);
        assertEquals(-1L, Files.mismatch(out, same), "the tool writes what the API writes");

        Path inpaint = dir.resolve("inpaint.gguf");
        assertTrue(run("sd1-inpaint", inpaint.toString()).contains("sd1-inpaint tiny-sd1-inpaint"));
        assertEquals(-1L, Files.mismatch(inpaint, TestModels.sd1Inpaint(dir)));
        assertTrue(run("taesd", dir.resolve("taesd.gguf").toString()).contains("taesd tiny-taesd, seed 42"));
    }

    @Test
    void aProjectorIsWrittenForTheTextWidthAsked() throws IOException {
        Path out = dir.resolve("mmproj.gguf");
        String report = run("mmproj", out.toString(), "--text-embd", "96", "--image-size", "32", "--patch-size", "8",
                "--type", "f16", "--seed", "3");
        assertTrue(report.contains("16 embeddings"), report);
        GgufFile g = GgufReader.read(out);
        assertEquals("mlp", g.require("clip.projector_type").asString());
        assertEquals(32, g.require("clip.vision.image_size").asInt());
        assertEquals(96, g.tensor("mm.2.weight").orElseThrow().dims()[1]);
        assertEquals(GgmlType.F16, g.tensor("v.blk.0.attn_q.weight").orElseThrow().type());
        Path same = dir.resolve("same.gguf");
        ModelGenerator.write(ProjectorSpec.tinyFor(DecoderSpec.tinyLlama()).withTextEmbd(96).withImageSize(32)
                .withPatchSize(8).withType(GgmlType.F16).withSeed(3), same);
        assertEquals(-1L, Files.mismatch(out, same), "the tool writes what the API writes");
        assertThrows(IllegalArgumentException.class, () -> MakeModel.run(new String[] {"mmproj", out.toString(), "--vocab", "400"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    }

    @Test
    void aQwen2VlPairIsWrittenLikeTheTestModels() throws IOException {
        Path text = dir.resolve("qwen2vl.gguf");
        Path projector = dir.resolve("merger.gguf");
        run("qwen2vl", text.toString());
        String report = run("mmproj", projector.toString(), "--projector", "qwen2vl-merger");
        assertTrue(report.contains("qwen2vl_merger projector"), report);
        Path sameText = dir.resolve("same-text.gguf");
        Path sameProjector = dir.resolve("same-projector.gguf");
        ModelGenerator.write(DecoderSpec.tinyQwen2Vl(), sameText);
        ModelGenerator.write(ProjectorSpec.tinyMergerFor(DecoderSpec.tinyQwen2Vl()), sameProjector);
        assertEquals(-1L, Files.mismatch(text, sameText), "the tool writes what the API writes");
        assertEquals(-1L, Files.mismatch(projector, sameProjector));
        assertEquals("qwen2vl", GgufReader.read(text).require("general.architecture").asString());
        assertThrows(IllegalArgumentException.class, () -> MakeModel.run(new String[] {"mmproj",
                projector.toString(), "--projector", "cnn"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    }

    @Test
    void optionsReachTheWrittenDecoder() throws IOException {
        Path template = dir.resolve("t.jinja");
        Files.writeString(template, "{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}");
        Path out = dir.resolve("sub/q.gguf");
        String report = run("qwen2", out.toString(), "--layers", "3", "--embd", "96", "--heads", "6",
                "--kv-heads", "2", "--ff", "160", "--vocab", "600", "--ctx", "1024", "--type", "f16", "--seed", "9",
                "--fim", "--name", "custom", "--chat-template-file", template.toString());
        assertTrue(report.startsWith("wrote "), report);
        GgufFile g = GgufReader.read(out);
        assertEquals("custom", g.require("general.name").asString());
        assertEquals(3, g.require("qwen2.block_count").asInt());
        assertEquals(96, g.require("qwen2.embedding_length").asInt());
        assertEquals(6, g.require("qwen2.attention.head_count").asInt());
        assertEquals(2, g.require("qwen2.attention.head_count_kv").asInt());
        assertEquals(160, g.require("qwen2.feed_forward_length").asInt());
        assertEquals(600, g.require("tokenizer.ggml.tokens").asList().size());
        assertEquals(1024, g.require("qwen2.context_length").asInt());
        assertEquals(GgmlType.F16, g.tensor("blk.0.ffn_up.weight").orElseThrow().type());
        assertEquals(SpecialTokens.FIM_PRE, g.require("tokenizer.ggml.fim_pre_token_id").asInt());
        assertEquals(Files.readString(template), g.require("tokenizer.chat_template").asString());

        Path same = dir.resolve("same.gguf");
        ModelGenerator.write(DecoderSpec.tinyQwen2().withName("custom").withLayers(3).withEmbd(96).withHeads(6)
                .withKvHeads(2).withFf(160).withVocab(600).withCtx(1024).withType(GgmlType.F16).withSeed(9)
                .withFim(true).withChatTemplate(Files.readString(template)), same);
        assertEquals(-1L, Files.mismatch(out, same), "the tool writes what the API writes");
    }

    @Test
    void encodersTakePoolingAndNoTemplate() throws IOException {
        Path cls = dir.resolve("cls.gguf");
        run("bert-embed", cls.toString(), "--pooling", "cls", "--layers", "1");
        assertEquals(Pooling.CLS.id(), GgufReader.read(cls).require("bert.pooling_type").asInt());
        Path rerank = dir.resolve("r.gguf");
        run("bert-rerank", rerank.toString());
        assertTrue(GgufReader.read(rerank).tensor("cls.output.weight").isPresent());
        Path plain = dir.resolve("plain.gguf");
        run("llama", plain.toString(), "--no-chat-template");
        assertFalse(GgufReader.read(plain).metadata().containsKey("tokenizer.chat_template"));
    }

    @Test
    void badArgumentsAreRefused() {
        Path out = dir.resolve("x.gguf");
        assertThrows(IllegalArgumentException.class, () -> run("gpt9", out.toString()));
        assertThrows(IllegalArgumentException.class, () -> run("llama"));
        assertThrows(IllegalArgumentException.class, () -> run("llama", out.toString(), "--layers"));
        assertThrows(IllegalArgumentException.class, () -> run("llama", out.toString(), "--layers", "two"));
        assertThrows(IllegalArgumentException.class, () -> run("llama", out.toString(), "--type", "q4_0"));
        assertThrows(IllegalArgumentException.class, () -> run("llama", out.toString(), "--pooling", "mean"));
        assertThrows(IllegalArgumentException.class, () -> run("bert-rerank", out.toString(), "--pooling", "cls"));
        assertThrows(IllegalArgumentException.class, () -> run("bert-embed", out.toString(), "--fim"));
        assertThrows(IllegalArgumentException.class, () -> run("llama", out.toString(), "--bogus", "1"));
        assertFalse(Files.exists(out));
    }
}
