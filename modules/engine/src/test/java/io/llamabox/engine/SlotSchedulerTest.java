package io.llamabox.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.spi.EngineException;
import io.llamabox.spi.EngineMetrics;
import io.llamabox.spi.FinishReason;
import io.llamabox.spi.GenerationRequest;
import io.llamabox.spi.TaskHandle;
import io.llamabox.testkit.model.TestModels;
import io.llamabox.testkit.peer.PeerServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlotSchedulerTest {
    private static final List<String> PROMPTS = List.of("Once upon a time", "The capital of France is",
            "def fibonacci(n):", "In the beginning", "Dear diary, today", "Roses are red", "The weather is",
            "Question: what is two plus two?");

    @ParameterizedTest
    @ValueSource(strings = {"llama", "gemma3"})
    void greedyOutputThroughTheSchedulerMatchesThePeer(String arch) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Path model = arch.equals("llama") ? TestModels.llama() : TestModels.gemma3();
        try (LlamaTextEngine engine = Engines.start(model, 1, 512);
             PeerServer peer = PeerServer.start(model, List.of("-c", "512", "-np", "1"))) {
            for (String prompt : PROMPTS.subList(0, 3)) {
                Collector c = new Collector();
                engine.submit(Engines.request(engine.tokenize(prompt, true, true), 32, List.of(), 0), c);
                c.await();
                JsonNode peerRes = json.readTree(peer.post("/completion", json.createObjectNode().put("prompt", prompt)
                        .put("n_predict", 32).put("temperature", 0).put("cache_prompt", false).toString()).body());
                assertEquals(peerRes.get("content").asText(), c.text(), prompt);
                assertEquals(peerRes.get("tokens_predicted").asInt(), c.usage.completionTokens());
            }
        }
    }

    @Test
    void concurrentRequestsBatchTogetherAndGiveTheSequentialOutputs() throws Exception {
        try (LlamaTextEngine engine = Engines.llama(8, 256)) {
            List<String> sequential = new ArrayList<>();
            for (String p : PROMPTS) {
                Collector c = new Collector();
                engine.submit(Engines.request(engine.tokenize(p, true, true), 24, List.of(), 0), c);
                c.await();
                sequential.add(c.text());
            }
            EngineMetrics before = engine.metrics();
            List<Collector> collectors = new ArrayList<>();
            for (String p : PROMPTS) {
                Collector c = new Collector();
                collectors.add(c);
                // a different slot than last time for most prompts: the prompt cache must not change outputs
                engine.submit(Engines.request(engine.tokenize(p, true, true), 24, List.of(), 0), c);
            }
            for (int i = 0; i < PROMPTS.size(); i++) {
                collectors.get(i).await();
                assertEquals(sequential.get(i), collectors.get(i).text(), PROMPTS.get(i));
            }
            EngineMetrics after = engine.metrics();
            long decodes = after.decodeTotal() - before.decodeTotal();
            long busy = after.busySlotsPerDecodeTotal() - before.busySlotsPerDecodeTotal();
            assertTrue(busy > decodes, "more than one sequence per decode on average: " + busy + "/" + decodes);
        }
    }

    @Test
    void aCancelledRequestFreesItsSlot() throws Exception {
        try (LlamaTextEngine engine = Engines.llama(1, 512)) {
            Collector c = new Collector();
            TaskHandle h = engine.submit(Engines.request(engine.tokenize("Tell me a long story", true, true), -1,
                    List.of(), 0), c);
            c.started.get(30, TimeUnit.SECONDS);
            assertTrue(engine.slots().get(0).processing());
            h.cancel();
            assertEquals(FinishReason.CANCELLED, c.await());
            assertFalse(engine.slots().get(0).processing());
            Collector next = new Collector();
            engine.submit(Engines.request(engine.tokenize("Next", true, true), 4, List.of(), 0), next);
            assertEquals(FinishReason.LENGTH, next.await());
        }
    }

    @Test
    void requestsWaitWhileEverySlotIsBusy() throws Exception {
        try (LlamaTextEngine engine = Engines.llama(1, 512)) {
            Collector first = new Collector();
            Collector second = new Collector();
            engine.submit(Engines.request(engine.tokenize("one", true, true), 16, List.of(), 0), first);
            engine.submit(Engines.request(engine.tokenize("two", true, true), 16, List.of(), 0), second);
            assertEquals(FinishReason.LENGTH, first.await());
            assertEquals(FinishReason.LENGTH, second.await());
            assertEquals(16, second.usage.completionTokens());
        }
    }

    @Test
    void aPromptLongerThanTheSlotContextIsRefusedWithTheSlotShare() {
        try (LlamaTextEngine engine = Engines.llama(2, 64)) {
            int[] prompt = engine.tokenize("word ".repeat(200), true, true);
            assertTrue(prompt.length > engine.model().nCtxPerSlot(), prompt.length + " vs " + engine.model().nCtxPerSlot() + " of " + engine.model().nCtx());
            EngineException e = assertThrows(EngineException.class,
                    () -> engine.submit(Engines.request(prompt, 8, List.of(), 0), new Collector()));
            assertEquals(EngineException.Kind.INVALID_REQUEST, e.kind());
            assertTrue(e.getMessage().contains("64") && e.getMessage().contains("2 slots"), e.getMessage());
            assertThrows(EngineException.class, () -> engine.submit(Engines.request(new int[] {1, 1 << 20}, 8,
                    List.of(), 0), new Collector()));
        }
    }

    @Test
    void aStopStringEndsTheTextBeforeIt() throws Exception {
        try (LlamaTextEngine engine = Engines.llama(1, 512)) {
            int[] prompt = engine.tokenize("Once upon a time", true, true);
            Collector free = new Collector();
            engine.submit(Engines.request(prompt, 40, List.of(), 0), free);
            free.await();
            String full = free.text();
            assertTrue(full.length() > 20, full);
            String stop = full.substring(10, 14);
            Collector stopped = new Collector();
            engine.submit(Engines.request(prompt, 40, List.of(stop), 0), stopped);
            assertEquals(FinishReason.STOP, stopped.await());
            assertEquals(stop, stopped.stopWord);
            assertEquals(full.substring(0, full.indexOf(stop)), stopped.text());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "gemma3"})
    void theContextShiftsWhenGenerationFillsTheSlot(String arch) throws Exception {
        Path model = arch.equals("llama") ? TestModels.llama() : TestModels.gemma3();
        try (LlamaTextEngine engine = Engines.start(model, 1, 64)) {
            Collector c = new Collector();
            engine.submit(Engines.request(engine.tokenize("Once upon a time", true, true), 150, List.of(), 0), c);
            assertEquals(FinishReason.LENGTH, c.await());
            assertEquals(150, c.usage.completionTokens());
        }
    }

    @Test
    void aPacedRequestRunsAtItsRate() throws Exception {
        try (LlamaTextEngine engine = Engines.llama(1, 512)) {
            Collector c = new Collector();
            engine.submit(Engines.request(engine.tokenize("Once upon a time", true, true), 31, List.of(), 20), c);
            c.await();
            assertEquals(31, c.usage.completionTokens());
            double seconds = c.usage.predictedMs() / 1000.0;
            double rate = 30 / seconds;
            // Pacing bounds the rate from above whatever the machine does; how far below it a busy machine
            // falls is not the pacer's doing, so no lower bound is asserted.
            assertTrue(rate < 24, "paced at " + rate + " tokens/s for an asked 20");
        }
    }

    private static int pieces(Collector c) {
        synchronized (c) { // onText holds the collector's lock
            return c.textTimes.size();
        }
    }

    private static GenerationRequest onSlot(int[] prompt, boolean cachePrompt, int slot) {
        return new GenerationRequest("test-" + System.nanoTime(), prompt, Engines.greedy(), 24, List.of(), false, 0,
                0, cachePrompt, slot, 0, false);
    }

    @Test
    void aSharedPrefixIsCopiedFromAnotherSlotAndGivesTheOutputOfAFreshPrompt() throws Exception {
        try (LlamaTextEngine engine = Engines.llama(3, 256)) {
            String system = "You are a careful assistant who answers in short sentences and never guesses. ";
            int[] first = engine.tokenize(system + "What is the tallest mountain?", true, true);
            int[] second = engine.tokenize(system + "Name three rivers of Europe.", true, true);
            int shared = 0;
            while (first[shared] == second[shared]) {
                shared++;
            }
            assertTrue(shared >= SlotScheduler.MIN_BORROWED_TOKENS, shared + " shared tokens");

            Collector fresh = new Collector();
            engine.submit(onSlot(second, false, 2), fresh);
            fresh.await();
            assertEquals(0, fresh.usage.cachedTokens());
            // slot 2 still holds the second prompt: replace it by one that shares nothing, so that slot 0 is
            // the only one to lend from
            Collector other = new Collector();
            engine.submit(onSlot(engine.tokenize("Unrelated", true, true), true, 2), other);
            other.await();

            Collector a = new Collector();
            engine.submit(onSlot(first, true, 0), a);
            a.await();
            Collector b = new Collector();
            engine.submit(onSlot(second, true, 1), b); // slot 1 is empty: slot 0 lends its prefix
            b.await();
            assertEquals(shared, b.usage.cachedTokens());
            assertEquals(fresh.text(), b.text());

            // the slot that lent its cache goes on as before
            Collector again = new Collector();
            engine.submit(onSlot(first, true, 0), again);
            again.await();
            assertEquals(first.length - 1, again.usage.cachedTokens());
            assertEquals(a.text(), again.text());
        }
    }

    @Test
    void aPrefixWhoseAttentionWindowLeftTheCacheIsComputedAgain() throws Exception {
        // gemma3's layers attend through a window of 32 tokens; with 512-token micro-batches its SWA cache
        // keeps 768 cells per slot, so after ~950 positions the oldest ones are gone
        try (LlamaTextEngine engine = Engines.start(TestModels.gemma3(), 1, 2048)) {
            StringBuilder text = new StringBuilder();
            String[] words = {"river", "stone", "cloud", "lamp", "violet", "engine", "harbor", "quiet", "maple"};
            for (int i = 0; text.length() < 1500; i++) {
                text.append(words[(i * 7 + i / 3) % words.length]).append(i % 11 == 0 ? ". " : " ");
            }
            int[] long1 = engine.tokenize(text.toString(), true, true);
            assertTrue(long1.length > 700, long1.length + " tokens");
            Collector first = new Collector();
            engine.submit(new GenerationRequest("t1", long1, Engines.greedy(), 250, List.of(), true, 0, 0, true, 0, 0,
                    false), first);
            first.await();

            int[] tail = engine.tokenize(" and then the story changed its course entirely", false, true);
            int[] second = new int[100 + tail.length];
            System.arraycopy(long1, 0, second, 0, 100);
            System.arraycopy(tail, 0, second, 100, tail.length);
            Collector fresh = new Collector();
            engine.submit(onSlot(second, false, 0), fresh);
            fresh.await();

            engine.submit(new GenerationRequest("t2", long1, Engines.greedy(), 250, List.of(), true, 0, 0, true, 0, 0,
                    false), first = new Collector());
            first.await();
            Collector reused = new Collector();
            engine.submit(onSlot(second, true, 0), reused);
            reused.await();
            assertEquals(0, reused.usage.cachedTokens(), "the window before token 100 has left the cache");
            assertEquals(fresh.text(), reused.text());

            // within the window the prefix is reused as usual
            Collector near = new Collector();
            engine.submit(onSlot(second, true, 0), near);
            near.await();
            assertEquals(second.length - 1, near.usage.cachedTokens());
            assertEquals(fresh.text(), near.text());
        }
    }

    @Test
    void aBusySlotLendsItsPrefixWithoutEitherOutputChanging() throws Exception {
        try (LlamaTextEngine engine = Engines.llama(3, 512)) {
            String system = "You are a careful assistant who answers in short sentences and never guesses. ";
            int[] story = engine.tokenize(system + "Tell me a long story about the sea.", true, true);
            int[] question = engine.tokenize(system + "Name three rivers of Europe.", true, true);
            // each alone, without any cache
            Collector storyAlone = new Collector();
            engine.submit(new GenerationRequest("s", story, Engines.greedy(), 120, List.of(), true, 0, 0, false, 2, 0,
                    false), storyAlone);
            storyAlone.await();
            Collector questionAlone = new Collector();
            engine.submit(onSlot(question, false, 2), questionAlone);
            questionAlone.await();
            Collector clear = new Collector();
            engine.submit(onSlot(engine.tokenize("Unrelated", true, true), true, 2), clear);
            clear.await();

            // the story generates on slot 0 while the question borrows its prefix on slot 1
            Collector storyRun = new Collector();
            // Paced at 20 tokens/s, so that it is still generating when the question comes and goes: the
            // question needs a few scheduler passes, the story's last 110 tokens at least 5.5 s of them.
            engine.submit(new GenerationRequest("s2", story, Engines.greedy(), 120, List.of(), true, 0, 0, true, 0, 20,
                    false), storyRun);
            while (pieces(storyRun) < 10) {
                Thread.sleep(1);
            }
            Collector questionRun = new Collector();
            engine.submit(onSlot(question, true, 1), questionRun);
            questionRun.await();
            assertFalse(storyRun.done.isDone(), "the lending slot was busy all along");
            storyRun.await();
            assertTrue(questionRun.usage.cachedTokens() >= SlotScheduler.MIN_BORROWED_TOKENS,
                    questionRun.usage.cachedTokens() + " tokens from the busy slot");
            assertEquals(questionAlone.text(), questionRun.text());
            assertEquals(storyAlone.text(), storyRun.text());
        }
    }

    @Test
    void cacheReuseMovesCachedChunksAsThePeerDoes() throws Exception {
        // a conversation whose first exchange the client dropped: the later turns are still in the cache,
        // at positions the shorter prompt moves down
        String sys = "System: you answer questions about rivers and mountains. ";
        String m1 = "User: tell me about the first river you know and where it flows. ";
        String m2 = "User: now describe a mountain range with its highest peaks and valleys. ";
        String m3 = "User: and which of them is the oldest one on the whole continent? ";
        String before = sys + m1 + m2 + m3;
        String after = sys + m2 + m3 + "User: thanks!";
        ObjectMapper json = new ObjectMapper();
        try (LlamaTextEngine engine = Engines.start(TestModels.llama(), 1, 512, 8);
             PeerServer peer = PeerServer.start(TestModels.llama(), List.of("-c", "512", "-np", "1",
                     "--cache-reuse", "8", "--cache-ram", "0"))) {
            int[] first = engine.tokenize(before, true, true);
            int[] second = engine.tokenize(after, true, true);
            Collector a = new Collector();
            engine.submit(onSlot(first, true, 0), a);
            a.await();
            Collector b = new Collector();
            engine.submit(onSlot(second, true, 0), b);
            b.await();
            int prefix = 0;
            while (first[prefix] == second[prefix]) {
                prefix++;
            }
            assertTrue(b.usage.cachedTokens() > prefix + 8, b.usage.cachedTokens() + " cached, prefix " + prefix);

            for (String p : List.of(before, after)) {
                JsonNode r = json.readTree(peer.post("/completion", json.createObjectNode().put("prompt", p)
                        .put("n_predict", 24).put("temperature", 0).toString()).body());
                if (p.equals(after)) {
                    assertEquals(r.at("/timings/cache_n").asInt(), b.usage.cachedTokens(), r.toString());
                    assertEquals(r.get("content").asText(), b.text());
                } else {
                    assertEquals(r.get("content").asText(), a.text());
                }
            }
        }
    }

    @Test
    void aConversationComesBackFromMemoryAfterItsSlotServedOthers() throws Exception {
        String text = "System: you answer questions about rivers and mountains, briefly and with care. "
                + "User: tell me about the first river you know, where it starts and where it flows. Assistant:";
        try (LlamaTextEngine engine = Engines.start(TestModels.llama(), 1, 512, 0, 64L << 20);
             LlamaTextEngine small = Engines.start(TestModels.llama(), 1, 512, 0, 1000)) {
            int[] prompt = engine.tokenize(text, true, true);
            int[] other = engine.tokenize("Something else entirely", true, true);
            for (LlamaTextEngine e : List.of(engine, small)) {
                Collector first = new Collector();
                e.submit(onSlot(prompt, true, 0), first);
                first.await();
                Collector between = new Collector();
                e.submit(onSlot(other, true, 0), between); // the slot gives the conversation up
                between.await();
                Collector again = new Collector();
                e.submit(onSlot(prompt, true, 0), again);
                again.await();
                assertEquals(first.text(), again.text());
                if (e == engine) {
                    assertEquals(prompt.length - 1, again.usage.cachedTokens(), "restored from memory");
                } else {
                    assertTrue(again.usage.cachedTokens() < SlotScheduler.MIN_REMEMBERED_TOKENS,
                            "a state bigger than the memory is not kept: " + again.usage.cachedTokens());
                }
            }
        }
    }
}
