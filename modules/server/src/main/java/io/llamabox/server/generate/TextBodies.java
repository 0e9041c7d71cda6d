package io.llamabox.server.generate;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The bodies of the legacy {@code /v1/completions}, in OpenAI's shapes (streamed chunks share them). */
public final class TextBodies {
    private TextBodies() {
    }

    public record Completion(String id, String object, long created, String model, List<Choice> choices,
                             @JsonInclude(JsonInclude.Include.NON_NULL) UsageBody usage,
                             @JsonInclude(JsonInclude.Include.NON_NULL) TimingsBody timings) {
    }

    public record Choice(String text, int index, Logprobs.Text logprobs, String finishReason) {
    }
}
