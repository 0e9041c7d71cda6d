package io.llamabox.engine;

import io.llamabox.spi.EngineException;
import io.llamabox.spi.FinishReason;
import io.llamabox.spi.GenerationListener;
import io.llamabox.spi.TokenProbabilities;
import io.llamabox.spi.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A listener that records a generation for assertions. */
final class Collector implements GenerationListener {
    final StringBuilder text = new StringBuilder();
    final List<Long> textTimes = new ArrayList<>();
    final CompletableFuture<FinishReason> done = new CompletableFuture<>();
    volatile Usage usage;
    volatile String stopWord;
    volatile int slot = -1;
    final CompletableFuture<Void> started = new CompletableFuture<>();

    @Override
    public void onStart(int slotId, int promptTokens, int cachedTokens) {
        slot = slotId;
        started.complete(null);
    }

    @Override
    public synchronized void onText(String t, List<TokenProbabilities> probabilities) {
        text.append(t);
        textTimes.add(System.nanoTime());
    }

    @Override
    public void onComplete(FinishReason reason, String stop, Usage u) {
        usage = u;
        stopWord = stop;
        done.complete(reason);
    }

    @Override
    public void onError(EngineException error) {
        done.completeExceptionally(error);
    }

    FinishReason await() throws Exception {
        return done.get(120, TimeUnit.SECONDS);
    }

    synchronized String text() {
        return text.toString();
    }
}
