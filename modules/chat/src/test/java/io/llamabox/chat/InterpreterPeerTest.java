package io.llamabox.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Small templates that exercise one interpreter feature each (whitespace control, operators, filters,
 * tests, loops, macros, tojson...) rendered by us and by the peer, which must agree. The snippets are in
 * {@code peer-snippets.json}; each runs in its own peer process.
 */
class InterpreterPeerTest {

    @TempDir
    Path dir;

    @Test
    void snippetsRenderLikeThePeer() throws Exception {
        JsonNode snippets;
        try (InputStream in = InterpreterPeerTest.class.getResourceAsStream("peer-snippets.json")) {
            snippets = Conversations.JSON.readTree(in);
        }
        assertTrue(snippets.size() >= 100, "snippets: " + snippets.size());
        Path model = PeerOracle.model();
        SpecialTokens tokens = PeerOracle.specialTokens(model);
        ObjectNode body = (ObjectNode) Conversations.JSON.readTree("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        List<Conversations.Conversation> conversation = List.of(new Conversations.Conversation("hi", body));
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            List<Future<?>> futures = new ArrayList<>();
            int i = 0;
            for (JsonNode s : snippets) {
                String source = s.asText();
                Path file = dir.resolve("snippet-" + (i++) + ".jinja");
                Files.writeString(file, source);
                futures.add(pool.submit(() -> {
                    PeerOracle.Outcome peer = PeerOracle.run(model, List.of("--jinja", "--chat-template-file", file.toString()),
                            conversation);
                    if (peer.loadFailure() != null || !peer.answers().getFirst().ok()) {
                        failures.add(source + "\n    the peer did not render it");
                        return;
                    }
                    String expected = peer.answers().getFirst().prompt();
                    String actual;
                    try {
                        actual = ChatTemplate.jinja(source, tokens).apply(conversation.getFirst().request());
                    } catch (RuntimeException e) {
                        failures.add(source + "\n    ours failed: " + e.getMessage());
                        return;
                    }
                    if (!expected.equals(actual)) {
                        failures.add(source + "\n    " + PeerOracle.diff(expected, actual));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertEquals(List.of(), failures, String.join("\n", failures));
    }
}
