package io.llamabox.chat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Renders every fixture template and every built-in template on a fixed set of conversations, and compares
 * each prompt with the peer's {@code POST /apply-template}; where the peer refuses a conversation, ours must
 * throw {@link ChatTemplateException}. One peer process per template answers all conversations; a few run
 * at once.
 */
class ChatTemplatePeerTest {

    private static final int PARALLEL_PEERS = 3;

    private static Path model;
    private static SpecialTokens tokens;

    @BeforeAll
    static void model() {
        model = PeerOracle.model();
        tokens = PeerOracle.specialTokens(model);
    }

    private record TemplateResult(String name, List<String> mismatches, String loadFailure, int compared) {
    }

    private static TemplateResult compare(String name, ChatTemplate ours, PeerOracle.Outcome peer,
                                          List<Conversations.Conversation> conversations) {
        if (peer.loadFailure() != null) {
            return new TemplateResult(name, List.of(), peer.loadFailure(), 0);
        }
        List<String> mismatches = new ArrayList<>();
        if (peer.capabilities() != null && ours.source().isPresent()) {
            TemplateCapabilities c = ours.capabilities();
            JsonNode p = peer.capabilities();
            Map<String, Boolean> mine = Map.of(
                    "supports_string_content", c.stringContent(), "supports_typed_content", c.typedContent(),
                    "supports_system_role", c.systemRole(), "supports_tools", c.tools(),
                    "supports_tool_calls", c.toolCalls(), "supports_parallel_tool_calls", c.parallelToolCalls(),
                    "supports_object_arguments", c.objectArguments());
            mine.forEach((k, v) -> {
                if (p.has(k) && p.get(k).asBoolean() != v) {
                    mismatches.add("capability " + k + ": peer " + p.get(k).asBoolean() + ", ours " + v);
                }
            });
        }
        for (int i = 0; i < conversations.size(); i++) {
            Conversations.Conversation conv = conversations.get(i);
            PeerOracle.Answer expected = peer.answers().get(i);
            String actual;
            try {
                actual = ours.apply(conv.request());
            } catch (ChatTemplateException e) {
                if (expected.ok()) {
                    mismatches.add(conv.name() + ": peer rendered, ours threw " + e.getMessage());
                }
                continue;
            } catch (RuntimeException e) {
                mismatches.add(conv.name() + ": ours failed with " + e);
                continue;
            }
            if (!expected.ok()) {
                mismatches.add(conv.name() + ": peer refused (" + expected.status() + " "
                        + firstLine(expected.error()) + "), ours rendered");
            } else if (!expected.prompt().equals(actual)) {
                mismatches.add(conv.name() + ": " + PeerOracle.diff(expected.prompt(), actual));
            }
        }
        return new TemplateResult(name, mismatches, null, conversations.size());
    }

    private static String errorLine(String log) {
        return log.lines().filter(l -> l.contains("failed to apply template")).findFirst()
                .orElseGet(() -> log.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).contains("error"))
                        .findFirst().orElse(firstLine(log))).strip();
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.lastIndexOf('\n');
        return nl >= 0 ? t.substring(nl + 1) : t;
    }

    private static List<TemplateResult> runAll(List<String> names, java.util.function.Function<String, TemplateResult> job)
            throws Exception {
        List<TemplateResult> results = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_PEERS)) {
            List<Future<TemplateResult>> futures = new ArrayList<>();
            for (String n : names) {
                futures.add(pool.submit(() -> job.apply(n)));
            }
            for (Future<TemplateResult> f : futures) {
                results.add(f.get());
            }
        }
        return results;
    }

    private static void report(String what, List<TemplateResult> results, List<String> allowedLoadFailures) {
        Map<String, TemplateResult> byName = new TreeMap<>();
        results.forEach(r -> byName.put(r.name(), r));
        long identical = byName.values().stream().filter(r -> r.loadFailure() == null && r.mismatches().isEmpty()).count();
        long comparable = byName.values().stream().filter(r -> r.loadFailure() == null).count();
        StringBuilder sb = new StringBuilder();
        sb.append(what).append(": ").append(identical).append(" of ").append(comparable)
                .append(" templates render identically to the peer on all ")
                .append(byName.values().stream().mapToInt(TemplateResult::compared).max().orElse(0))
                .append(" conversations\n");
        List<String> unexpectedLoadFailures = new ArrayList<>();
        for (TemplateResult r : byName.values()) {
            if (r.loadFailure() != null) {
                sb.append("  ").append(r.name()).append(": the peer does not load it: ")
                        .append(errorLine(r.loadFailure())).append('\n');
                if (!allowedLoadFailures.contains(r.name())) {
                    unexpectedLoadFailures.add(r.name());
                }
            }
            for (String m : r.mismatches()) {
                sb.append("  ").append(r.name()).append(" / ").append(m).append('\n');
            }
        }
        System.out.println(sb);
        assertTrue(unexpectedLoadFailures.isEmpty(), "the peer failed to load " + unexpectedLoadFailures + "\n" + sb);
        assertEquals(comparable, identical, sb.toString());
    }

    /**
     * Templates the peer cannot serve at all: {@code firefunction-v2-70b} renders tool-call arguments as
     * Python dict text, which the peer's tool-call parser generator fails on at start-up.
     */
    private static final List<String> PEER_CANNOT_LOAD = List.of("firefunction-v2-70b");

    @Test
    void everyFixtureTemplateRendersLikeThePeer() throws Exception {
        List<Path> templates = PeerOracle.fixtureTemplates();
        assertTrue(templates.size() >= 80, "expected the fixture templates, found " + templates.size());
        List<Conversations.Conversation> conversations = Conversations.all();
        List<String> names = templates.stream().map(p -> p.getFileName().toString().replace(".jinja", "")).toList();
        List<TemplateResult> results = runAll(names, name -> {
            Path file = PeerOracle.fixtureDirectory().resolve(name + ".jinja");
            ChatTemplate ours;
            try {
                ours = ChatTemplate.jinja(Files.readString(file), tokens);
            } catch (Exception e) {
                return new TemplateResult(name, List.of("ours cannot load it: " + e.getMessage()), null, 0);
            }
            PeerOracle.Outcome peer = PeerOracle.run(model, List.of("--jinja", "--chat-template-file", file.toString()),
                    conversations);
            return compare(name, ours, peer, conversations);
        });
        report("fixture templates", results, PEER_CANNOT_LOAD);
    }

    @Test
    void everyBuiltinTemplateRendersLikeThePeer() throws Exception {
        List<Conversations.Conversation> conversations = Conversations.all();
        List<String> names = ChatTemplate.builtinNames().stream().filter(n -> !LLAMA_BOX_ONLY.contains(n)).toList();
        List<TemplateResult> results = runAll(names, name -> {
            PeerOracle.Outcome peer = PeerOracle.run(model, List.of("--no-jinja", "--chat-template", name), conversations);
            return compare(name, ChatTemplate.builtin(name), peer, conversations);
        });
        report("built-in templates", results, List.of());
        if (results.size() != names.size()) {
            fail("not every built-in template was compared");
        }
    }

    /** Built-in names llama-box adds and the peer does not know; {@code BuiltinTemplateTest} covers them. */
    static final List<String> LLAMA_BOX_ONLY = List.of("falcon", "llava", "llava-mistral");
}
