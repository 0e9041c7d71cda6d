package io.llamabox.server.generate;

import io.llamabox.server.http.SseStream;
import java.util.ArrayList;
import java.util.List;

/** Writes chat results as {@code chat.completion} bodies and {@code chat.completion.chunk} events. */
public final class ChatFormat implements StreamFormat {
    private final String id;
    private final long created;
    private final String model;
    private final ChatRequest chat;
    private final boolean includeUsage;
    private final boolean[] announced;

    public ChatFormat(String id, long created, String model, ChatRequest chat, boolean includeUsage, int choices) {
        this.id = id;
        this.created = created;
        this.model = model;
        this.chat = chat;
        this.includeUsage = includeUsage;
        this.announced = new boolean[choices];
    }

    public ChatBodies.Completion completion(List<ChoiceResult> results) {
        List<ChatBodies.Choice> choices = new ArrayList<>(results.size());
        for (ChoiceResult r : results) {
            choices.add(new ChatBodies.Choice(r.index(), new ChatBodies.Message("assistant", r.text()),
                    chat.logprobs() ? Logprobs.chat(r.probabilities(), chat.topLogprobs()) : null,
                    r.openAiFinishReason()));
        }
        return new ChatBodies.Completion(id, "chat.completion", created, model, choices, UsageBody.of(results),
                TimingsBody.ofResults(results));
    }

    @Override
    public void started(SseStream out, ChoiceResult choice) {
        announce(out, choice.index());
    }

    @Override
    public void text(SseStream out, ChoiceResult choice, GenerationEvent.Text t) {
        announce(out, choice.index());
        boolean withProbs = chat.logprobs() && t.probabilities() != null && !t.probabilities().isEmpty();
        if (t.text().isEmpty() && !withProbs) {
            return;
        }
        Logprobs.Chat logprobs = withProbs ? Logprobs.chat(t.probabilities(), chat.topLogprobs()) : null;
        out.data(chunk(new ChatBodies.ChunkChoice(choice.index(), new ChatBodies.Delta(null, t.text()), logprobs,
                null), null, null));
    }

    @Override
    public void finished(SseStream out, ChoiceResult choice) {
        announce(out, choice.index());
        out.data(chunk(new ChatBodies.ChunkChoice(choice.index(), new ChatBodies.Delta(null, null), null,
                choice.openAiFinishReason()), null, TimingsBody.of(choice.usage())));
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
