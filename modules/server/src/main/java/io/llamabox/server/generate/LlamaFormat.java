package io.llamabox.server.generate;

import io.llamabox.server.http.SseStream;
import io.llamabox.spi.GenerationRequest;
import io.llamabox.spi.TextEngine;
import io.llamabox.spi.Usage;
import java.util.ArrayList;
import java.util.List;

/** Writes results of llama.cpp's {@code /completion}: one object per prompt, or events ending with it. */
public final class LlamaFormat implements StreamFormat {
    private final String model;
    private final List<GenerationRequest> requests;
    private final TextEngine engine;

    public LlamaFormat(String model, List<GenerationRequest> requests, TextEngine engine) {
        this.model = model;
        this.requests = requests;
        this.engine = engine;
    }

    public List<LlamaBodies.Completion> completions(List<ChoiceResult> results) {
        List<LlamaBodies.Completion> out = new ArrayList<>(results.size());
        for (ChoiceResult r : results) {
            out.add(completion(r, r.text(), true));
        }
        return out;
    }

    private LlamaBodies.Completion completion(ChoiceResult r, String content, boolean withProbabilities) {
        GenerationRequest request = requests.get(r.index());
        Usage u = r.usage();
        return new LlamaBodies.Completion(r.index(), content, r.slotId(), true, model, u.completionTokens(),
                u.promptTokens(), GenerationSettingsBody.of(request), engine.detokenize(request.prompt()),
                r.text().contains("\n"), r.stopType(), r.stopWord(), u.cachedTokens(), TimingsBody.of(u),
                withProbabilities && request.nProbs() > 0 ? Logprobs.llama(r.probabilities()) : null);
    }

    @Override
    public void text(SseStream out, ChoiceResult choice, GenerationEvent.Text t) {
        boolean withProbs = requests.get(choice.index()).nProbs() > 0 && t.probabilities() != null;
        if (t.text().isEmpty() && !withProbs) {
            return;
        }
        out.data(new LlamaBodies.Chunk(choice.index(), t.text(), false, choice.slotId(),
                withProbs ? Logprobs.llama(t.probabilities()) : null));
    }

    @Override
    public void finished(SseStream out, ChoiceResult choice) {
        // The probabilities went out with the text events.
        out.data(completion(choice, "", false));
    }

    @Override
    public void end(SseStream out, List<ChoiceResult> results) {
        // llama.cpp's own streams end with the final object, without OpenAI's [DONE].
    }
}
