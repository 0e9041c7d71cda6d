package io.llamabox.server.generate;

import io.llamabox.spi.Usage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** OpenAI's {@code usage}; each prompt counts once however many choices continue it. */
public record UsageBody(int promptTokens, int completionTokens, int totalTokens,
                        PromptTokensDetails promptTokensDetails) {
    public record PromptTokensDetails(int cachedTokens) {
    }

    public static UsageBody of(List<ChoiceResult> results) {
        int prompt = 0;
        int cached = 0;
        int completion = 0;
        Set<Integer> counted = new HashSet<>();
        for (ChoiceResult r : results) {
            Usage u = r.usage();
            if (u == null) {
                continue;
            }
            if (counted.add(r.promptIndex())) {
                prompt += u.promptTokens();
                cached += u.cachedTokens();
            }
            completion += u.completionTokens();
        }
        return new UsageBody(prompt, completion, prompt + completion, new PromptTokensDetails(cached));
    }
}
