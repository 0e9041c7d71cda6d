package io.llamabox.server.generate;

import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.CloseOnce;
import io.llamabox.server.http.Draining;
import io.llamabox.server.http.ErrorKind;
import io.llamabox.spi.EngineException;
import io.llamabox.spi.FinishReason;
import io.llamabox.spi.GenerationListener;
import io.llamabox.spi.GenerationRequest;
import io.llamabox.spi.MediaPrompt;
import io.llamabox.spi.TaskHandle;
import io.llamabox.spi.TextEngine;
import io.llamabox.spi.TokenProbabilities;
import io.llamabox.spi.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The engine tasks of one HTTP request. Listeners run on the engine's thread and only enqueue events;
 * the request's own (virtual) thread takes them with {@link #next()}, which also folds them into the
 * per-choice {@link ChoiceResult}s. Closing the run cancels the tasks that have not ended.
 */
public final class GenerationRun implements AutoCloseable, Draining.Work {
    private final LinkedBlockingQueue<GenerationEvent> events = new LinkedBlockingQueue<>();
    private final List<TaskHandle> handles = new ArrayList<>();
    private final List<ChoiceResult> results = new ArrayList<>();
    private final boolean[] ended;
    private int remaining;
    private final CloseOnce closing = new CloseOnce();
    private volatile boolean started;

    private GenerationRun(int size, int choicesPerPrompt) {
        ended = new boolean[size];
        remaining = size;
        for (int i = 0; i < size; i++) {
            results.add(new ChoiceResult(i, i / choicesPerPrompt));
        }
    }

    /** Submits every request; if one is refused, the ones already queued are cancelled and the refusal thrown. */
    public static GenerationRun submit(TextEngine engine, List<GenerationRequest> requests, int choicesPerPrompt) {
        return submit(engine, requests, choicesPerPrompt, null);
    }

    /** As {@link #submit(TextEngine, List, int)}, for requests whose prompt holds these images (null: none). */
    public static GenerationRun submit(TextEngine engine, List<GenerationRequest> requests, int choicesPerPrompt,
                                       MediaPrompt media) {
        GenerationRun run = new GenerationRun(requests.size(), choicesPerPrompt);
        try {
            for (int i = 0; i < requests.size(); i++) {
                run.handles.add(media == null ? engine.submit(requests.get(i), run.listener(i))
                        : engine.submit(requests.get(i), media, run.listener(i)));
            }
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
        return run;
    }

    private GenerationListener listener(int index) {
        return new GenerationListener() {
            @Override
            public void onStart(int slotId, int promptTokens, int cachedTokens) {
                started = true;
                events.add(new GenerationEvent.Started(index, slotId, promptTokens, cachedTokens));
            }

            @Override
            public void onText(String text, List<TokenProbabilities> probabilities) {
                events.add(new GenerationEvent.Text(index, text, probabilities));
            }

            @Override
            public void onComplete(FinishReason reason, String stopWord, Usage usage) {
                events.add(new GenerationEvent.Finished(index, reason, stopWord, usage));
            }

            @Override
            public void onError(EngineException error) {
                events.add(new GenerationEvent.Failed(index, error));
            }
        };
    }

    public List<ChoiceResult> results() {
        return results;
    }

    /** Whether every task has finished or failed. */
    public boolean ended() {
        return remaining == 0;
    }

    /** The next event, waiting for it; folded into the results before it is returned. */
    public GenerationEvent next() throws InterruptedException {
        return apply(events.take());
    }

    /** The next event if one is already queued, else null. */
    public GenerationEvent poll() {
        GenerationEvent e = events.poll();
        return e == null ? null : apply(e);
    }

    private GenerationEvent apply(GenerationEvent e) {
        ChoiceResult r = results.get(e.index());
        switch (e) {
            case GenerationEvent.Started s -> r.started(s.slotId());
            case GenerationEvent.Text t -> r.append(t.text(), t.probabilities());
            case GenerationEvent.Finished f -> {
                r.finish(f.reason(), f.stopWord(), f.usage());
                end(e.index());
            }
            case GenerationEvent.Failed f -> end(e.index());
        }
        return e;
    }

    private void end(int index) {
        if (!ended[index]) {
            ended[index] = true;
            remaining--;
        }
    }

    /**
     * Waits for every choice to finish. A failed task fails the whole request with its error; a
     * cancelled one (the server is stopping) with 503.
     */
    public List<ChoiceResult> awaitAll() throws InterruptedException {
        while (!ended()) {
            check(next());
        }
        return results;
    }

    /**
     * As {@link #awaitAll()}, waiting at most until {@code deadlineNanos} ({@link System#nanoTime()});
     * returns whether every choice has finished.
     */
    public boolean awaitAll(long deadlineNanos) throws InterruptedException {
        while (!ended()) {
            long left = deadlineNanos - System.nanoTime();
            GenerationEvent e = left > 0 ? events.poll(left, java.util.concurrent.TimeUnit.NANOSECONDS) : events.poll();
            if (e == null) {
                return false;
            }
            check(apply(e));
        }
        return true;
    }

    private static void check(GenerationEvent e) {
        if (e instanceof GenerationEvent.Failed f) {
            throw f.error();
        }
        if (e instanceof GenerationEvent.Finished f && f.reason() == FinishReason.CANCELLED) {
            throw cancelled();
        }
    }

    static ApiException cancelled() {
        return ApiException.stopping("the generation was cancelled: the server is stopping");
    }

    @Override
    public boolean started() {
        return started;
    }

    /** Cancels the tasks that have not ended (the request's thread or a drain may call it). */
    @Override
    public void close() {
        closing.close(() -> {
            for (int i = 0; i < handles.size(); i++) {
                if (!ended[i]) {
                    handles.get(i).cancel();
                }
            }
        });
    }

    @Override
    public void whenClosed(Runnable action) {
        closing.whenClosed(action);
    }
}
