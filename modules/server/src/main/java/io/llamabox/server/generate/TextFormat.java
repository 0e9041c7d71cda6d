package io.llamabox.server.generate;

import io.llamabox.server.http.SseStream;
import java.util.ArrayList;
import java.util.List;

/** Writes legacy completion results as {@code text_completion} bodies and events. */
public final class TextFormat implements StreamFormat {
    private final String id;
    private final long created;
    private final String model;
    /** The alternatives per token to report, or -1 when {@code logprobs} was not asked for. */
    private final int logprobs;
    private final boolean includeUsage;
    private final int[] offsets;

    public TextFormat(String id, long created, String model, int logprobs, boolean includeUsage, int choices) {
        this.id = id;
        this.created = created;
        this.model = model;
        this.logprobs = logprobs;
        this.includeUsage = includeUsage;
        this.offsets = new int[choices];
    }

    public TextBodies.Completion completion(List<ChoiceResult> results) {
        List<TextBodies.Choice> choices = new ArrayList<>(results.size());
        for (ChoiceResult r : results) {
            choices.add(new TextBodies.Choice(r.text(), r.index(),
                    logprobs >= 0 ? Logprobs.text(r.probabilities(), logprobs, 0) : null, r.openAiFinishReason()));
        }
        return new TextBodies.Completion(id, "text_completion", created, model, choices, UsageBody.of(results),
                TimingsBody.ofResults(results));
    }

    @Override
    public void text(SseStream out, ChoiceResult choice, GenerationEvent.Text t) {
        boolean withProbs = logprobs >= 0 && t.probabilities() != null && !t.probabilities().isEmpty();
        if (t.text().isEmpty() && !withProbs) {
            return;
        }
        Logprobs.Text lp = null;
        if (withProbs) {
            lp = Logprobs.text(t.probabilities(), logprobs, offsets[choice.index()]);
        }
        offsets[choice.index()] += t.text().length();
        out.data(chunk(new TextBodies.Choice(t.text(), choice.index(), lp, null), null, null));
    }

    @Override
    public void finished(SseStream out, ChoiceResult choice) {
        out.data(chunk(new TextBodies.Choice("", choice.index(), null, choice.openAiFinishReason()), null,
                TimingsBody.of(choice.usage())));
    }

    @Override
    public void end(SseStream out, List<ChoiceResult> results) {
        if (includeUsage) {
            out.data(new TextBodies.Completion(id, "text_completion", created, model, List.of(),
                    UsageBody.of(results), TimingsBody.ofResults(results)));
        }
        out.done();
    }

    private TextBodies.Completion chunk(TextBodies.Choice choice, UsageBody usage, TimingsBody timings) {
        return new TextBodies.Completion(id, "text_completion", created, model, List.of(choice), usage, timings);
    }
}
