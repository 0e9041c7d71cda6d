package io.llamabox.server.generate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.llamabox.spi.Usage;
import java.util.List;

/**
 * llama.cpp's {@code timings}: prompt tokens processed (not taken from the cache) and generated tokens,
 * with their times in milliseconds. Several choices run side by side, so their counts add up while
 * their time is the longest of them. {@code draft_n} and {@code draft_n_accepted} (named explicitly: the
 * naming strategy would write {@code draft_naccepted}) appear when tokens were drafted.
 */
public record TimingsBody(int cacheN, int promptN, double promptMs, double promptPerTokenMs, double promptPerSecond,
                          int predictedN, double predictedMs, double predictedPerTokenMs,
                          double predictedPerSecond,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Integer draftN,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("draft_n_accepted")
                          Integer draftNAccepted) {

    public static TimingsBody of(Usage u) {
        return of(List.of(u));
    }

    public static TimingsBody ofResults(List<ChoiceResult> results) {
        return of(results.stream().map(ChoiceResult::usage).filter(u -> u != null).toList());
    }

    static TimingsBody of(List<Usage> usages) {
        int cache = 0;
        int prompt = 0;
        int predicted = 0;
        int draft = 0;
        int accepted = 0;
        double promptMs = 0;
        double predictedMs = 0;
        for (Usage u : usages) {
            cache += u.cachedTokens();
            prompt += u.promptTokens() - u.cachedTokens();
            predicted += u.completionTokens();
            draft += u.draftTokens();
            accepted += u.draftAcceptedTokens();
            promptMs = Math.max(promptMs, u.promptMs());
            predictedMs = Math.max(predictedMs, u.predictedMs());
        }
        return new TimingsBody(cache, prompt, promptMs, perToken(promptMs, prompt), perSecond(prompt, promptMs),
                predicted, predictedMs, perToken(predictedMs, predicted), perSecond(predicted, predictedMs),
                draft > 0 ? draft : null, draft > 0 ? accepted : null);
    }

    private static double perToken(double ms, int n) {
        return n > 0 ? ms / n : 0;
    }

    private static double perSecond(int n, double ms) {
        return ms > 0 ? n * 1000.0 / ms : 0;
    }
}
