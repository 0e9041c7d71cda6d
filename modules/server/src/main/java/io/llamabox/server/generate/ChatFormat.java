package io.llamabox.server.generate;

import io.llamabox.chat.tools.ToolCall;
import io.llamabox.chat.tools.ToolCallParser;
import io.llamabox.server.http.SseStream;
import io.llamabox.spi.FinishReason;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes chat results as {@code chat.completion} bodies and {@code chat.completion.chunk} events. When the
 * request has tools, the model's calls become OpenAI {@code tool_calls} with {@code finish_reason}
 * {@code "tool_calls"}; while streaming, text that may be the start of a call is held back until it is
 * decided, and each call is sent once complete: a first delta with its index, id, type and name (and empty
 * arguments), then its arguments.
 */
public final class ChatFormat implements StreamFormat {
    private final String id;
    private final long created;
    private final String model;
    private final ChatRequest chat;
    private final ChatStructure structure;
    private final boolean includeUsage;
    private final boolean[] announced;
    private final ToolCallParser[] parsers;
    private final int[] calls;

    public ChatFormat(String id, long created, String model, ChatRequest chat, ChatStructure structure,
                      boolean includeUsage, int choices) {
        this.id = id;
        this.created = created;
        this.model = model;
        this.chat = chat;
        this.structure = structure;
        this.includeUsage = includeUsage;
        this.announced = new boolean[choices];
        this.parsers = new ToolCallParser[choices];
        this.calls = new int[choices];
    }

    public ChatBodies.Completion completion(List<ChoiceResult> results) {
        List<ChatBodies.Choice> choices = new ArrayList<>(results.size());
        for (ChoiceResult r : results) {
            ChatBodies.Message message;
            String finish = r.openAiFinishReason();
            if (structure.readsToolCalls()) {
                ToolCallParser.Result parsed = structure.parser().parse(r.text());
                List<ChatBodies.ToolCall> toolCalls = new ArrayList<>();
                for (ToolCall c : parsed.calls()) {
                    toolCalls.add(new ChatBodies.ToolCall(callId(), "function",
                            new ChatBodies.Function(c.name(), c.arguments())));
                }
                String content = structure.callsOnly() ? null : parsed.content();
                if (toolCalls.isEmpty()) {
                    message = new ChatBodies.Message("assistant", content == null ? "" : content, null, null);
                } else {
                    message = new ChatBodies.Message("assistant", content, null, toolCalls);
                    finish = finishReason(r, true);
                }
            } else {
                message = new ChatBodies.Message("assistant", r.text(), null, null);
            }
            choices.add(new ChatBodies.Choice(r.index(), message,
                    chat.logprobs() ? Logprobs.chat(r.probabilities(), chat.topLogprobs()) : null, finish));
        }
        return new ChatBodies.Completion(id, "chat.completion", created, model, choices, UsageBody.of(results),
                TimingsBody.ofResults(results));
    }

    /** Calls end the answer with "tool_calls", unless it was cut off by the token limit. */
    private static String finishReason(ChoiceResult r, boolean sawCall) {
        return sawCall && r.finishReason() != FinishReason.LENGTH ? "tool_calls" : r.openAiFinishReason();
    }

    private static String callId() {
        return "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    @Override
    public void started(SseStream out, ChoiceResult choice) {
        announce(out, choice.index());
    }

    @Override
    public void text(SseStream out, ChoiceResult choice, GenerationEvent.Text t) {
        announce(out, choice.index());
        boolean withProbs = chat.logprobs() && t.probabilities() != null && !t.probabilities().isEmpty();
        Logprobs.Chat logprobs = withProbs ? Logprobs.chat(t.probabilities(), chat.topLogprobs()) : null;
        if (structure.readsToolCalls()) {
            boolean sent = send(out, choice.index(), parser(choice.index()).push(t.text()), logprobs);
            if (!sent && withProbs) {
                out.data(chunk(new ChatBodies.ChunkChoice(choice.index(), new ChatBodies.Delta(null, ""), logprobs,
                        null), null, null));
            }
            return;
        }
        if (t.text().isEmpty() && !withProbs) {
            return;
        }
        out.data(chunk(new ChatBodies.ChunkChoice(choice.index(), new ChatBodies.Delta(null, t.text()), logprobs,
                null), null, null));
    }

    @Override
    public void finished(SseStream out, ChoiceResult choice) {
        announce(out, choice.index());
        String finish = choice.openAiFinishReason();
        if (structure.readsToolCalls()) {
            ToolCallParser p = parser(choice.index());
            send(out, choice.index(), p.finish(), null);
            finish = finishReason(choice, p.sawCall());
        }
        out.data(chunk(new ChatBodies.ChunkChoice(choice.index(), new ChatBodies.Delta(null, null), null, finish),
                null, TimingsBody.of(choice.usage())));
    }

    /** Writes decided content and calls; whether anything was written. The log probabilities ride on the first. */
    private boolean send(SseStream out, int index, List<ToolCallParser.Event> events, Logprobs.Chat logprobs) {
        boolean sent = false;
        for (ToolCallParser.Event e : events) {
            Logprobs.Chat lp = sent ? null : logprobs;
            switch (e) {
                case ToolCallParser.Content c -> {
                    if (structure.callsOnly()) {
                        continue; // a forced call's answer has no text: this is the start of a cut call
                    }
                    out.data(chunk(new ChatBodies.ChunkChoice(index, new ChatBodies.Delta(null, c.text()), lp, null),
                            null, null));
                }
                case ToolCallParser.Call c -> {
                    int n = calls[index]++;
                    ChatBodies.ToolCallDelta opening = new ChatBodies.ToolCallDelta(n, callId(), "function",
                            new ChatBodies.FunctionDelta(c.call().name(), ""));
                    out.data(chunk(new ChatBodies.ChunkChoice(index, new ChatBodies.Delta(null, null,
                            List.of(opening)), lp, null), null, null));
                    ChatBodies.ToolCallDelta arguments = new ChatBodies.ToolCallDelta(n, null, null,
                            new ChatBodies.FunctionDelta(null, c.call().arguments()));
                    out.data(chunk(new ChatBodies.ChunkChoice(index, new ChatBodies.Delta(null, null,
                            List.of(arguments)), null, null), null, null));
                }
            }
            sent = true;
        }
        return sent;
    }

    private ToolCallParser parser(int index) {
        if (parsers[index] == null) {
            parsers[index] = structure.parser();
        }
        return parsers[index];
    }

    @Override
    public void end(SseStream out, List<ChoiceResult> results) {
        if (includeUsage) {
            out.data(new ChatBodies.Chunk(id, "chat.completion.chunk", created, model, List.of(),
                    UsageBody.of(results), TimingsBody.ofResults(results)));
        }
        out.done();
    }

    /** OpenAI's first chunk of a choice carries the role. */
    private void announce(SseStream out, int index) {
        if (!announced[index]) {
            announced[index] = true;
            out.data(chunk(new ChatBodies.ChunkChoice(index, new ChatBodies.Delta("assistant", ""), null, null),
                    null, null));
        }
    }

    private ChatBodies.Chunk chunk(ChatBodies.ChunkChoice choice, UsageBody usage, TimingsBody timings) {
        return new ChatBodies.Chunk(id, "chat.completion.chunk", created, model, List.of(choice), usage, timings);
    }
}
