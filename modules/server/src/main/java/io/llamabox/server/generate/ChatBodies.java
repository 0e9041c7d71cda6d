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

    /** The answer: {@code content} is null when the answer is only tool calls; {@code refusal} is always null. */
    public record Message(String role, String content, String refusal,
                          @JsonInclude(JsonInclude.Include.NON_NULL) List<ToolCall> toolCalls) {
    }

    public record ToolCall(String id, String type, Function function) {
    }

    /** A function call; {@code arguments} is a JSON object as text. */
    public record Function(String name, String arguments) {
    }

    public record Chunk(String id, String object, long created, String model, List<ChunkChoice> choices,
                        @JsonInclude(JsonInclude.Include.NON_NULL) UsageBody usage,
                        @JsonInclude(JsonInclude.Include.NON_NULL) TimingsBody timings) {
    }

    public record ChunkChoice(int index, Delta delta, Logprobs.Chat logprobs, String finishReason) {
    }

    /** A chunk's change to the message: the role first, then content pieces or tool-call pieces; empty at the end. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content, List<ToolCallDelta> toolCalls) {
        public Delta(String role, String content) {
            this(role, content, null);
        }
    }

    /**
     * A piece of a tool call, as OpenAI streams them: the first with {@code index}, {@code id}, {@code type}
     * and the function's name with empty arguments, the next ones with {@code index} and more arguments.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolCallDelta(int index, String id, String type, FunctionDelta function) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FunctionDelta(String name, String arguments) {
    }
}
