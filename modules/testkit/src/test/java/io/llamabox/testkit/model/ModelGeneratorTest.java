package io.llamabox.testkit.model;

import io.llamabox.testkit.gguf.GgmlType;
import io.llamabox.testkit.gguf.GgufFile;
import io.llamabox.testkit.gguf.GgufReader;
import io.llamabox.testkit.gguf.GgufTensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelGeneratorTest {

    @TempDir
    Path dir;

    @Test
    void sameSpecAndSeedGiveByteIdenticalFiles() throws IOException {
        for (Object spec : List.of(DecoderSpec.tinyLlama(), DecoderSpec.tinyQwen2().withFim(true),
                EncoderSpec.tinyEmbedding(), EncoderSpec.tinyReranker())) {
            Path a = dir.resolve("a.gguf");
            Path b = dir.resolve("b.gguf");
            write(spec, a);
            write(spec, b);
            assertEquals(-1L, Files.mismatch(a, b), spec.toString());
        }
        Path a = dir.resolve("s1.gguf");
        Path b = dir.resolve("s2.gguf");
        ModelGenerator.write(DecoderSpec.tinyLlama(), a);
        ModelGenerator.write(DecoderSpec.tinyLlama().withSeed(43), b);
        assertNotEquals(-1L, Files.mismatch(a, b), "another seed gives other weights");
        assertEquals(Files.size(a), Files.size(b));
    }

    private static void write(Object spec, Path p) throws IOException {
        if (spec instanceof DecoderSpec d) {
            ModelGenerator.write(d, p);
        } else {
            ModelGenerator.write((EncoderSpec) spec, p);
        }
    }

    @Test
    void llamaMetadataAndTensorsDescribeTheSpec() throws IOException {
        DecoderSpec spec = DecoderSpec.tinyLlama().withLayers(3).withKvHeads(1).withFf(96).withVocab(700);
        Path f = dir.resolve("llama.gguf");
        ModelGenerator.write(spec, f);
        GgufFile g = GgufReader.read(f);

        assertEquals("llama", g.require("general.architecture").asString());
        assertEquals(7, g.require("general.file_type").asInt());
        assertEquals(3, g.require("llama.block_count").asInt());
        assertEquals(64, g.require("llama.embedding_length").asInt());
        assertEquals(96, g.require("llama.feed_forward_length").asInt());
        assertEquals(4, g.require("llama.attention.head_count").asInt());
        assertEquals(1, g.require("llama.attention.head_count_kv").asInt());
        assertEquals(16, g.require("llama.rope.dimension_count").asInt());
        assertEquals(4096, g.require("llama.context_length").asInt());
        assertEquals("llama", g.require("tokenizer.ggml.model").asString());
        assertEquals(700, g.require("tokenizer.ggml.tokens").asList().size());
        assertEquals(700, g.require("tokenizer.ggml.scores").asList().size());
        assertEquals(700, g.require("tokenizer.ggml.token_type").asList().size());
        assertFalse(g.metadata().containsKey("tokenizer.ggml.merges"));
        assertFalse(g.metadata().containsKey("tokenizer.ggml.fim_pre_token_id"));
        assertTrue(g.require("tokenizer.ggml.add_bos_token").asBoolean());
        assertEquals(ChatTemplates.CHATML, g.require("tokenizer.chat_template").asString());

        List<String> tokens = g.require("tokenizer.ggml.tokens").asStringList();
        assertEquals("<s>", tokens.get(g.require("tokenizer.ggml.bos_token_id").asInt()));
        assertEquals("</s>", tokens.get(g.require("tokenizer.ggml.eos_token_id").asInt()));
        assertEquals("<|im_end|>", tokens.get(g.require("tokenizer.ggml.eot_token_id").asInt()));
        assertEquals("<unk>", tokens.get(g.require("tokenizer.ggml.unknown_token_id").asInt()));
        assertEquals("<pad>", tokens.get(g.require("tokenizer.ggml.padding_token_id").asInt()));
        assertEquals("<0x00>", tokens.get(SpecialTokens.FIRST_BYTE));
        assertEquals("<0x0A>", tokens.get(SpecialTokens.FIRST_BYTE + '\n'));

        assertEquals(spec.parameterCount(), g.parameterCount());
        GgufTensorInfo q = g.tensor("blk.2.attn_k.weight").orElseThrow();
        assertArrayEquals(new long[] {64, 16}, q.dims());
        assertEquals(GgmlType.Q8_0, q.type());
        assertEquals(GgmlType.F32, g.tensor("blk.0.attn_norm.weight").orElseThrow().type());
        assertArrayEquals(new long[] {96, 64}, g.tensor("blk.1.ffn_down.weight").orElseThrow().dims());
        assertArrayEquals(new long[] {64, 700}, g.tensor("output.weight").orElseThrow().dims());
        assertTrue(g.tensor("blk.0.attn_q.bias").isEmpty());
    }

    @Test
    void qwen2HasBiasesBpeMergesAndOptionalFimTokens() throws IOException {
        DecoderSpec spec = DecoderSpec.tinyQwen2().withFim(true).withType(GgmlType.F16);
        Path f = dir.resolve("qwen2.gguf");
        ModelGenerator.write(spec, f);
        GgufFile g = GgufReader.read(f);

        assertEquals("qwen2", g.require("general.architecture").asString());
        assertEquals(1, g.require("general.file_type").asInt());
        assertEquals("gpt2", g.require("tokenizer.ggml.model").asString());
        assertEquals("qwen2", g.require("tokenizer.ggml.pre").asString());
        assertFalse(g.require("tokenizer.ggml.add_bos_token").asBoolean());
        List<String> tokens = g.require("tokenizer.ggml.tokens").asStringList();
        assertEquals("<|fim_prefix|>", tokens.get(g.require("tokenizer.ggml.fim_pre_token_id").asInt()));
        assertEquals("<|fim_suffix|>", tokens.get(g.require("tokenizer.ggml.fim_suf_token_id").asInt()));
        assertEquals("<|fim_middle|>", tokens.get(g.require("tokenizer.ggml.fim_mid_token_id").asInt()));
        assertEquals("<|fim_pad|>", tokens.get(g.require("tokenizer.ggml.fim_pad_token_id").asInt()));
        assertFalse(g.require("tokenizer.ggml.merges").asList().isEmpty());
        assertArrayEquals(new long[] {32}, g.tensor("blk.0.attn_k.bias").orElseThrow().dims());
        assertArrayEquals(new long[] {64}, g.tensor("blk.1.attn_q.bias").orElseThrow().dims());
        assertEquals(GgmlType.F16, g.tensor("token_embd.weight").orElseThrow().type());
        assertEquals(GgmlType.F32, g.tensor("blk.0.attn_v.bias").orElseThrow().type());
        assertEquals(spec.parameterCount(), g.parameterCount());
    }

    @Test
    void bertEncodersCarryPoolingWordPieceAndTheRerankHead() throws IOException {
        Path embed = dir.resolve("embed.gguf");
        ModelGenerator.write(EncoderSpec.tinyEmbedding().withPooling(Pooling.CLS), embed);
        GgufFile e = GgufReader.read(embed);
        assertEquals("bert", e.require("general.architecture").asString());
        assertEquals(Pooling.CLS.id(), e.require("bert.pooling_type").asInt());
        assertFalse(e.require("bert.attention.causal").asBoolean());
        assertEquals("bert", e.require("tokenizer.ggml.model").asString());
        List<String> tokens = e.require("tokenizer.ggml.tokens").asStringList();
        assertEquals("[CLS]", tokens.get(e.require("tokenizer.ggml.cls_token_id").asInt()));
        assertEquals("[CLS]", tokens.get(e.require("tokenizer.ggml.bos_token_id").asInt()));
        assertEquals("[SEP]", tokens.get(e.require("tokenizer.ggml.seperator_token_id").asInt()));
        assertEquals("[UNK]", tokens.get(e.require("tokenizer.ggml.unknown_token_id").asInt()));
        assertEquals("[PAD]", tokens.get(e.require("tokenizer.ggml.padding_token_id").asInt()));
        assertEquals("[MASK]", tokens.get(e.require("tokenizer.ggml.mask_token_id").asInt()));
        assertTrue(e.tensor("cls.weight").isEmpty());
        assertArrayEquals(new long[] {64, 512}, e.tensor("position_embd.weight").orElseThrow().dims());
        assertEquals(EncoderSpec.tinyEmbedding().parameterCount(), e.parameterCount());

        Path rerank = dir.resolve("rerank.gguf");
        ModelGenerator.write(EncoderSpec.tinyReranker(), rerank);
        GgufFile r = GgufReader.read(rerank);
        assertEquals(Pooling.RANK.id(), r.require("bert.pooling_type").asInt());
        assertArrayEquals(new long[] {64, 64}, r.tensor("cls.weight").orElseThrow().dims());
        assertArrayEquals(new long[] {64}, r.tensor("cls.bias").orElseThrow().dims());
        assertArrayEquals(new long[] {64, 1}, r.tensor("cls.output.weight").orElseThrow().dims());
        assertArrayEquals(new long[] {1}, r.tensor("cls.output.bias").orElseThrow().dims());
        assertEquals(EncoderSpec.tinyReranker().parameterCount(), r.parameterCount());
    }

    @Test
    void weightsHaveTheIntendedScaleAndSuppressedOutputRowsAreZero() throws IOException {
        DecoderSpec spec = DecoderSpec.tinyLlama().withType(GgmlType.F32);
        Path f = dir.resolve("w.gguf");
        ModelGenerator.write(spec, f);
        GgufFile g = GgufReader.read(f);

        float[] q = GgufReader.readTensorFloats(f, g, g.tensor("blk.0.attn_q.weight").orElseThrow());
        double sum = 0;
        double sq = 0;
        for (float v : q) {
            assertTrue(Float.isFinite(v));
            sum += v;
            sq += v * v;
        }
        double mean = sum / q.length;
        double std = Math.sqrt(sq / q.length - mean * mean);
        assertEquals(0.0, mean, 0.01);
        assertEquals(1 / Math.sqrt(64), std, 0.01);

        float[] norm = GgufReader.readTensorFloats(f, g, g.tensor("output_norm.weight").orElseThrow());
        for (float v : norm) {
            assertEquals(1f, v);
        }

        Vocabulary vocab = ModelGenerator.vocabulary(spec);
        float[] out = GgufReader.readTensorFloats(f, g, g.tensor("output.weight").orElseThrow());
        int[] zeroRows = {SpecialTokens.EOS, SpecialTokens.IM_END, SpecialTokens.FIRST_BYTE, SpecialTokens.FIRST_BYTE + 0xC3};
        for (int row : zeroRows) {
            assertTrue(vocab.isSuppressed(row));
            for (int c = 0; c < 64; c++) {
                assertEquals(0f, out[row * 64 + c], "row " + row);
            }
        }
        int hello = vocab.id("\u2581hello");
        assertFalse(vocab.isSuppressed(hello));
        assertNotEquals(0f, out[hello * 64]);
    }

    @Test
    void specsRejectShapesLlamaCppCannotRun() {
        assertThrows(IllegalArgumentException.class, () -> DecoderSpec.tinyLlama().withHeads(5));
        assertThrows(IllegalArgumentException.class, () -> DecoderSpec.tinyLlama().withKvHeads(3));
        assertThrows(IllegalArgumentException.class, () -> DecoderSpec.tinyLlama().withFf(100));
        assertThrows(IllegalArgumentException.class, () -> DecoderSpec.tinyLlama().withVocab(200));
        assertThrows(IllegalArgumentException.class, () -> DecoderSpec.tinyLlama().withLayers(0));
        assertThrows(IllegalArgumentException.class, () -> EncoderSpec.tinyEmbedding().withEmbd(72));
        DecoderSpec f32 = new DecoderSpec(DecoderArch.LLAMA, "odd", 1, 48, 3, 1, 100, 300, 64, GgmlType.F32, 1,
                false, null);
        assertEquals(100, f32.ff(), "F32 has no block size constraint");
    }

    @Test
    void benchmarkSpecHasAbout150MillionParameters() {
        long n = DecoderSpec.benchLlama().parameterCount();
        assertTrue(n > 140_000_000L && n < 170_000_000L, "parameters: " + n);
    }
}
