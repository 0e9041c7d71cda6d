package io.llamabox.cli.launch;

import io.llamabox.spi.EngineException;
import io.llamabox.spi.FinishReason;
import io.llamabox.spi.GenerationListener;
import io.llamabox.spi.GenerationRequest;
import io.llamabox.spi.Sampling;
import io.llamabox.spi.TextEngine;
import io.llamabox.spi.TokenProbabilities;
import io.llamabox.spi.Usage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code --tokens-per-second -1}: the decode speed of one greedy generation, measured at start. */
final class DecodeSpeed {
    private static final Logger LOG = LoggerFactory.getLogger(DecodeSpeed.class);

    private DecodeSpeed() {
    }

    static double measure(TextEngine engine) {
        Sampling greedy = new Sampling(0, List.of("temperature"), 0f, 0f, 1f, 0, 1f, 0f, 1f, 0f, 0.1f, 0, 1f, 0f, 0f,
                0f, 1.75f, 2, 0, List.of(), 0, 5f, 0.1f, Map.of(), null, false, List.of(), List.of(), 0, -1f);
        int[] prompt = engine.tokenize("Measure", true, false);
        CompletableFuture<Usage> done = new CompletableFuture<>();
        engine.submit(new GenerationRequest("tps-probe", prompt, greedy, 32, List.of(), true, 0, 0, false, -1, 0, false),
                new GenerationListener() {
                    @Override
                    public void onText(String text, List<TokenProbabilities> p) {
                    }

                    @Override
                    public void onComplete(FinishReason reason, String stopWord, Usage usage) {
                        done.complete(usage);
                    }

                    @Override
                    public void onError(EngineException error) {
                        done.completeExceptionally(error);
                    }
                });
        try {
            double rate = done.get(5, TimeUnit.MINUTES).predictedPerSecond();
            LOG.info("measured decode speed: {} tokens/s (the most a request may ask for)", String.format("%.1f", rate));
            return rate;
        } catch (Exception e) {
            throw new IllegalStateException("could not measure the decode speed: " + e.getMessage(), e);
        }
    }
}
