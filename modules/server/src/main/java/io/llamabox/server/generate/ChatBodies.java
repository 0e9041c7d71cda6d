package io.llamabox.server.generate;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The bodies of {@code /v1/chat/completions}, in OpenAI's shapes. */
public final class ChatBodies {
    private ChatBodies() {
    }

    public record Completion(String id, String object, long created, String model, List<Choice> choices,
                             UsageBody usage, TimingsBody timings) {
    }

    public record Choice(int index, Message message, Logprobs.Chat logprobs, String finishReason) {
    }

    public record Message(String role, String content) {
    }

    public record Chunk(String id, String object, long created, String model, List<ChunkChoice> choices,
                        @JsonInclude(JsonInclude.Include.NON_NULL) UsageBody usage,
                        @JsonInclude(JsonInclude.Include.NON_NULL) TimingsBody timings) {
    }

    public record ChunkChoice(int index, Delta delta, Logprobs.Chat logprobs, String finishReason) {
    }

    /** A chunk's change to the message: the role first, then content pieces; empty at the end. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content) {
    }
}
