package io.llamabox.engine;

import io.llamabox.spi.EngineMetrics;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/** The scheduler's counters for {@code /metrics}: written by the engine thread, read by any. */
final class EngineCounters {
    private final AtomicLong promptTokens = new AtomicLong();
    private final DoubleAdder promptSeconds = new DoubleAdder();
    private final AtomicLong predictedTokens = new AtomicLong();
    private final DoubleAdder predictedSeconds = new DoubleAdder();
    private final AtomicLong drafted = new AtomicLong();
    private final AtomicLong draftedAccepted = new AtomicLong();
    private final AtomicLong decodes = new AtomicLong();
    private final AtomicLong busySlots = new AtomicLong();
    private volatile long kvTokens;
    private volatile double kvRatio;

    void prompt(int tokens, double seconds) {
        promptTokens.addAndGet(tokens);
        promptSeconds.add(seconds);
    }

    void predicted(int tokens, double seconds) {
        predictedTokens.addAndGet(tokens);
        predictedSeconds.add(seconds);
    }

    void drafted(int tokens, int accepted) {
        drafted.addAndGet(tokens);
        draftedAccepted.addAndGet(accepted);
    }

    void decoded(int busy) {
        decodes.incrementAndGet();
        busySlots.addAndGet(busy);
    }

    void kv(long tokens, int nCtx) {
        kvTokens = tokens;
        kvRatio = nCtx > 0 ? (double) tokens / nCtx : 0;
    }

    EngineMetrics snapshot(int processing, int deferred) {
        return new EngineMetrics(promptTokens.get(), promptSeconds.sum(), predictedTokens.get(),
                predictedSeconds.sum(), drafted.get(), draftedAccepted.get(), decodes.get(), busySlots.get(),
                kvRatio, kvTokens, processing, deferred);
    }
}
