package io.llamabox.testkit.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.gguf.GgmlType;
import io.llamabox.testkit.model.DecoderArch;
import io.llamabox.testkit.model.DecoderSpec;
import io.llamabox.testkit.model.ModelGenerator;
import io.llamabox.testkit.model.SpecialTokens;
import io.llamabox.testkit.model.TestModels;
import io.llamabox.testkit.model.Vocabularies;
import io.llamabox.testkit.model.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The peer llama.cpp loads every generated decoder, tokenizes with its vocabulary and generates text. */
class DecoderPeerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SERVER_ARGS = List.of("-c", "1024", "-np", "1", "-t", "2");

    @TempDir
    static Path models;

    private static JsonNode post(PeerServer s, String path, Map<String, ?> body) throws IOException {
        PeerServer.Response r = s.post(path, JSON.writeValueAsString(body));
        assertEquals(200, r.status(), path + " answered " + r.body());
        return JSON.readTree(r.body());
    }

    private static JsonNode complete(PeerServer s, String prompt, int n) throws IOException {
        return post(s, "/completion", Map.of("prompt", prompt, "n_predict", n, "temperature", 0,
                "return_tokens", true));
    }

    @ParameterizedTest
    @EnumSource(DecoderArch.class)
    void peerServerGeneratesDistinctGreedyTextFromTheTinyModel(DecoderArch arch) throws IOException {
        Path model = TestModels.get(DecoderSpec.tiny(arch), models);
        try (PeerServer s = PeerServer.start(model, SERVER_ARGS)) {
            JsonNode a = complete(s, "The capital of France is", 16);
            assertEquals(16, a.get("tokens_predicted").asInt(), "greedy decoding does not stop early: " + a);
            String textA = a.get("content").asText();
            assertTrue(textA.strip().length() >= 8, textA);
            List<Integer> tokens = new ArrayList<>();
            a.get("tokens").forEach(t -> tokens.add(t.asInt()));
            assertTrue(new HashSet<>(tokens).size() >= 4, "not stuck on one token: " + tokens);
            for (int t : tokens) {
                assertTrue(t >= SpecialTokens.FIRST_BYTE, "no control token generated: " + tokens);
            }

            String textB = complete(s, "Once upon a time", 16).get("content").asText();
            assertNotEquals(textA, textB, "different prompts continue differently");
            assertEquals(textA, complete(s, "The capital of France is", 16).get("content").asText(),
                    "greedy decoding is repeatable");
        }
    }

    @ParameterizedTest
    @EnumSource(DecoderArch.class)
    void peerTokenizesSpecialTokensAndRendersTheChatTemplate(DecoderArch arch) throws IOException {
        Path model = TestModels.get(DecoderSpec.tiny(arch), models);
        try (PeerServer s = PeerServer.start(model, SERVER_ARGS)) {
            JsonNode tok = post(s, "/tokenize", Map.of("content", "<|im_start|>user hello world<|im_end|>",
                    "add_special", true, "parse_special", true));
            List<Integer> ids = new ArrayList<>();
            tok.get("tokens").forEach(t -> ids.add(t.asInt()));
            if (!arch.qwen()) {
                assertEquals(SpecialTokens.BOS, ids.getFirst(), "the SPM model adds BOS: " + ids);
                ids.removeFirst();
            }
            assertEquals(SpecialTokens.IM_START, ids.getFirst(), ids.toString());
            assertEquals(SpecialTokens.IM_END, ids.getLast(), ids.toString());
            assertTrue(ids.size() <= 6, "whole-word pieces for 'user hello world': " + ids);

            JsonNode detok = post(s, "/detokenize", Map.of("tokens", ids.subList(1, ids.size() - 1)));
            assertEquals("user hello world", detok.get("content").asText().strip());

            JsonNode rendered = post(s, "/apply-template", Map.of("messages",
                    List.of(Map.of("role", "system", "content", "Be brief."), Map.of("role", "user", "content", "hi"))));
            assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n"
                    + "<|im_start|>assistant\n", rendered.get("prompt").asText());

            JsonNode chat = post(s, "/v1/chat/completions", Map.of("messages",
                    List.of(Map.of("role", "user", "content", "hello")), "max_tokens", 8, "temperature", 0));
            JsonNode choice = chat.get("choices").get(0);
            assertEquals("length", choice.get("finish_reason").asText());
            assertTrue(!choice.get("message").get("content").asText().isBlank(), chat.toString());

            PeerServer.Response infill = s.post("/infill", JSON.writeValueAsString(
                    Map.of("input_prefix", "def main(", "input_suffix", "return", "n_predict", 4)));
            assertNotEquals(200, infill.status(), "no FIM tokens without the fim option: " + infill.body());
        }
    }

    @ParameterizedTest
    @EnumSource(DecoderArch.class)
    void peerFillsInTheMiddleWithFimTokens(DecoderArch arch) throws IOException {
        Path model = TestModels.get(DecoderSpec.tiny(arch).withFim(true), models);
        try (PeerServer s = PeerServer.start(model, SERVER_ARGS)) {
            JsonNode r = post(s, "/infill", Map.of("input_prefix", "def main(", "input_suffix", "return x\n",
                    "n_predict", 6, "temperature", 0));
            assertEquals(6, r.get("tokens_predicted").asInt(), r.toString());
            assertTrue(!r.get("content").asText().isEmpty());
        }
    }

    @Test
    void peerRendersATemplateGivenAsAFile() throws IOException {
        String template = "{%- for m in messages -%}<|im_start|>{{ m.role | upper }}: {{ m.content }}<|im_end|>"
                + "{%- endfor -%}{%- if add_generation_prompt %}<|im_start|>ASSISTANT:{% endif -%}";
        Path model = TestModels.get(DecoderSpec.tinyLlama().withChatTemplate(template), models);
        try (PeerServer s = PeerServer.start(model, SERVER_ARGS)) {
            JsonNode rendered = post(s, "/apply-template", Map.of("messages",
                    List.of(Map.of("role", "user", "content", "hi"))));
            assertEquals("<|im_start|>USER: hi<|im_end|><|im_start|>ASSISTANT:", rendered.get("prompt").asText());
        }
    }

    static Stream<Arguments> archAndType() {
        List<Arguments> out = new ArrayList<>();
        for (DecoderArch a : DecoderArch.values()) {
            for (GgmlType t : GgmlType.values()) {
                out.add(Arguments.of(a, t));
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("archAndType")
    void peerLoadsAndRunsEveryTensorType(DecoderArch arch, GgmlType type) throws IOException {
        Path model = TestModels.get(DecoderSpec.tiny(arch).withType(type).withLayers(1), models);
        try (PeerServer s = PeerServer.start(model, List.of("-c", "256", "-np", "1", "-t", "2"))) {
            JsonNode r = complete(s, "hello world", 8);
            assertEquals(8, r.get("tokens_predicted").asInt(), r.toString());
            assertTrue(r.get("content").asText().strip().length() >= 4, r.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(DecoderArch.class)
    void peerTokenizeToolAgreesWithTheVocabulary(DecoderArch arch) throws IOException {
        DecoderSpec spec = DecoderSpec.tiny(arch);
        Path model = TestModels.get(spec, models);
        Peer.Result r = Peer.run("llama-tokenize", List.of("-m", model.toString(), "-p", "hello world", "--ids",
                "--log-disable"), Duration.ofSeconds(60));
        assertEquals(0, r.exitCode(), r.stderr());
        Vocabulary vocab = ModelGenerator.vocabulary(spec);
        String space = !arch.qwen() ? Vocabularies.SPM_SPACE : Vocabularies.BPE_SPACE;
        List<Integer> expected = new ArrayList<>();
        if (!arch.qwen()) {
            expected.add(SpecialTokens.BOS);
            expected.add(vocab.id(space + "hello"));
        } else {
            expected.add(vocab.id("hello"));
        }
        expected.add(vocab.id(space + "world"));
        assertEquals(expected.toString(), r.stdout().strip());
    }
}
