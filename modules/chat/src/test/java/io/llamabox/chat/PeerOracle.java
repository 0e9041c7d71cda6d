package io.llamabox.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llamabox.testkit.gguf.GgufFile;
import io.llamabox.testkit.gguf.GgufReader;
import io.llamabox.testkit.model.TestModels;
import io.llamabox.testkit.peer.PeerServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The peer {@code llama-server} on the testkit's tiny llama model, as the oracle of rendered prompts. */
final class PeerOracle {

    /** The peer's answer to one {@code /apply-template}: the prompt, or the error status and message. */
    record Answer(int status, String prompt, String error) {
        boolean ok() {
            return status == 200;
        }
    }

    /** What the peer did with one template: its capabilities and its answers, or why it would not load it. */
    record Outcome(String loadFailure, JsonNode capabilities, List<Answer> answers) {
    }

    private PeerOracle() {
    }

    static Path model() {
        return TestModels.llama();
    }

    /** The model's special tokens as the peer reads them from the GGUF metadata. */
    static SpecialTokens specialTokens(Path model) {
        try {
            GgufFile f = GgufReader.read(model);
            List<?> tokens = (List<?>) f.require("tokenizer.ggml.tokens").value();
            String bos = (String) tokens.get(((Long) f.require("tokenizer.ggml.bos_token_id").value()).intValue());
            String eos = (String) tokens.get(((Long) f.require("tokenizer.ggml.eos_token_id").value()).intValue());
            boolean addBos = f.get("tokenizer.ggml.add_bos_token").map(v -> (Boolean) v.value()).orElse(true);
            boolean addEos = f.get("tokenizer.ggml.add_eos_token").map(v -> (Boolean) v.value()).orElse(false);
            return new SpecialTokens(bos, eos, addBos, addEos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the peer with {@code templateArgs}, applies every conversation, and stops it. */
    static Outcome run(Path model, List<String> templateArgs, List<Conversations.Conversation> conversations) {
        List<String> args = new ArrayList<>(List.of("-np", "1", "-c", "512", "-t", "1"));
        args.addAll(templateArgs);
        PeerServer peer;
        try {
            peer = PeerServer.start(model, args);
        } catch (IOException e) {
            return new Outcome(String.valueOf(e.getMessage() != null ? e.getMessage() : e), null, List.of());
        }
        try (peer) {
            List<Answer> answers = new ArrayList<>();
            for (Conversations.Conversation c : conversations) {
                PeerServer.Response r = peer.post("/apply-template", Conversations.JSON.writeValueAsString(c.body()));
                JsonNode body = Conversations.JSON.readTree(r.body());
                if (r.status() == 200) {
                    answers.add(new Answer(200, body.get("prompt").textValue(), null));
                } else {
                    JsonNode msg = body.path("error").path("message");
                    answers.add(new Answer(r.status(), null, msg.isMissingNode() ? r.body() : msg.asText()));
                }
            }
            JsonNode props = Conversations.JSON.readTree(peer.get("/props").body());
            return new Outcome(null, props.get("chat_template_caps"), answers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture templates: {@code -Dllamabox.chat.fixtures=DIR}, else {@code shared/fixtures/chat-templates}
     *  in the nearest directory above the working directory that has one (the folder beside the repository). */
    static Path fixtureDirectory() {
        String prop = System.getProperty("llamabox.chat.fixtures");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/fixtures/chat-templates");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no shared/fixtures/chat-templates above " + Path.of("").toAbsolutePath()
                + "; set -Dllamabox.chat.fixtures");
    }

    static List<Path> fixtureTemplates() {
        try (var s = Files.list(fixtureDirectory())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jinja")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A short description of where two texts first differ. */
    static String diff(String expected, String actual) {
        int i = 0;
        int n = Math.min(expected.length(), actual.length());
        while (i < n && expected.charAt(i) == actual.charAt(i)) {
            i++;
        }
        int from = Math.max(0, i - 40);
        return "first difference at " + i + ":\n      peer: " + show(expected.substring(from, Math.min(expected.length(), i + 60)))
                + "\n      ours: " + show(actual.substring(from, Math.min(actual.length(), i + 60)));
    }

    private static String show(String s) {
        return s.replace("\n", "\\n").replace("\t", "\\t");
    }
}
