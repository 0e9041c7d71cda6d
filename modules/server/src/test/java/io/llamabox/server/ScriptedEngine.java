package io.llamabox.server;

import io.llamabox.spi.EngineException;
import io.llamabox.spi.EngineMetrics;
import io.llamabox.spi.FinishReason;
import io.llamabox.spi.GenerationListener;
import io.llamabox.spi.GenerationRequest;
import io.llamabox.spi.ModelDescription;
import io.llamabox.spi.SlotInfo;
import io.llamabox.spi.TaskHandle;
import io.llamabox.spi.TextEngine;
import io.llamabox.spi.TokenProbabilities;
import io.llamabox.spi.Usage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake engine: characters are tokens (id = char code, BOS 1, EOS 2), and every generation emits the
 * scripted pieces, one token each, from its own thread, honouring max tokens, stop strings and cancel.
 */
final class ScriptedEngine implements TextEngine {
    static final int VOCAB = 512;
    static final int BOS = 1;
    static final int PER_SLOT_CONTEXT = 256;

    final List<GenerationRequest> requests = new CopyOnWriteArrayList<>();
    final List<AtomicBoolean> cancels = new CopyOnWriteArrayList<>();
    volatile List<String> script = List.of("Hello", ",", " world", "!");
    volatile long pieceDelayMillis;
    /** Whether a submitted task runs to its end on the submitting thread, before {@code submit} returns. */
    volatile boolean inline;
    volatile int cachedTokens;
    /** When set, generation waits here after its first piece. */
    volatile CountDownLatch afterFirstPiece;
    /** When set, the slots: a task waits for one of them before it starts, as in the real engine. */
    volatile Semaphore slotsFree;
    /** Tasks whose listener has been told they started. */
    final AtomicInteger started = new AtomicInteger();
    volatile List<SlotInfo> slots = List.of(
            new SlotInfo(0, -1, false, null, PER_SLOT_CONTEXT, 0, 0, 0, ""),
            new SlotInfo(1, 7, true, "busy-request", PER_SLOT_CONTEXT, 3, 10, 4, "Once"));

    @Override
    public ModelDescription model() {
        return new ModelDescription("test-model.gguf", "/models/test-model.gguf", "llama", 1_000_000L, 2_000_000L,
                VOCAB, 4096, 64, PER_SLOT_CONTEXT * 2, PER_SLOT_CONTEXT, 2, "{% chatml %}", "<s>", "</s>", true,
                false, Map.of());
    }

    @Override
    public int[] tokenize(String text, boolean addSpecial, boolean parseSpecial) {
        List<Integer> out = new ArrayList<>();
        if (addSpecial) {
            out.add(BOS);
        }
        text.chars().forEach(c -> out.add(c < VOCAB ? c : '?'));
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String detokenize(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            sb.append(piece(t));
        }
        return sb.toString();
    }

    @Override
    public String piece(int token) {
        return switch (token) {
            case BOS -> "<s>";
            case 2 -> "</s>";
            default -> String.valueOf((char) token);
        };
    }

    @Override
    public int vocabularySize() {
        return VOCAB;
    }

    @Override
    public boolean isEndOfGeneration(int token) {
        return token == 2;
    }

    @Override
    public TaskHandle submit(GenerationRequest request, GenerationListener listener) {
        if (request.prompt().length >= PER_SLOT_CONTEXT) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "the prompt has "
                    + request.prompt().length + " tokens but each slot's context holds " + PER_SLOT_CONTEXT);
        }
        requests.add(request);
        AtomicBoolean cancelled = new AtomicBoolean();
        cancels.add(cancelled);
        List<String> pieces = script;
        if (inline) {
            run(request, listener, pieces, cancelled);
        } else {
            Thread.ofPlatform().daemon().name("scripted-engine").start(() -> run(request, listener, pieces, cancelled));
        }
        return () -> cancelled.set(true);
    }

    private void run(GenerationRequest r, GenerationListener listener, List<String> pieces, AtomicBoolean cancelled) {
        Semaphore slots = slotsFree;
        if (slots == null) {
            generate(r, listener, pieces, cancelled);
            return;
        }
        if (!acquire(slots, cancelled)) {
            listener.onComplete(FinishReason.CANCELLED, null, usage(r, 0));
            return;
        }
        try {
            generate(r, listener, pieces, cancelled);
        } finally {
            slots.release();
        }
    }

    /** Waits for a slot; false when the task was cancelled while it waited. */
    private static boolean acquire(Semaphore slots, AtomicBoolean cancelled) {
        try {
            while (!slots.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                if (cancelled.get()) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void generate(GenerationRequest r, GenerationListener listener, List<String> pieces,
                          AtomicBoolean cancelled) {
        listener.onStart(0, r.prompt().length, cachedTokens);
        started.incrementAndGet();
        int generated = 0;
        for (String piece : pieces) {
            if (cancelled.get()) {
                listener.onComplete(FinishReason.CANCELLED, null, usage(r, generated));
                return;
            }
            if (r.stop().contains(piece)) {
                listener.onComplete(FinishReason.STOP, piece, usage(r, generated));
                return;
            }
            if (r.maxTokens() >= 0 && generated >= r.maxTokens()) {
                listener.onComplete(FinishReason.LENGTH, null, usage(r, generated));
                return;
            }
            sleep(pieceDelayMillis);
            generated++;
            listener.onText(piece, r.nProbs() > 0 ? List.of(probabilities(piece, r.nProbs())) : null);
            CountDownLatch gate = afterFirstPiece;
            if (generated == 1 && gate != null) {
                await(gate, cancelled);
            }
        }
        listener.onComplete(FinishReason.STOP, null, usage(r, generated));
    }

    private Usage usage(GenerationRequest r, int generated) {
        return new Usage(r.prompt().length, cachedTokens, generated, 4.0, generated * 2.0, 0, 0);
    }

    private static TokenProbabilities probabilities(String piece, int n) {
        int token = piece.isEmpty() ? 0 : piece.charAt(0);
        List<TokenProbabilities.Candidate> top = new ArrayList<>();
        top.add(candidate(token, -0.25f));
        for (int i = 1; i < n; i++) {
            top.add(candidate('a' + i, -1.0f - i));
        }
        return new TokenProbabilities(token, piece, piece.getBytes(StandardCharsets.UTF_8), -0.25f, top);
    }

    private static TokenProbabilities.Candidate candidate(int token, float logprob) {
        String piece = String.valueOf((char) token);
        return new TokenProbabilities.Candidate(token, piece, piece.getBytes(StandardCharsets.UTF_8), logprob);
    }

    GenerationRequest lastRequest() {
        return requests.getLast();
    }

    @Override
    public List<SlotInfo> slots() {
        return slots;
    }

    @Override
    public EngineMetrics metrics() {
        return new EngineMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public void close() {
    }

    private static void sleep(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Holds the task until the test opens the gate or the task is cancelled, however long that takes. */
    private static void await(CountDownLatch gate, AtomicBoolean cancelled) {
        try {
            while (!gate.await(20, TimeUnit.MILLISECONDS) && !cancelled.get()) {
                // a task held at the gate still notices its cancellation
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
