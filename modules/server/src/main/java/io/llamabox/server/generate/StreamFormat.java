package io.llamabox.server.generate;

import io.llamabox.server.http.SseStream;
import java.util.List;

/** How one API writes a generation as server-sent events; {@link StreamDriver} calls it in order. */
public interface StreamFormat {
    /** The choice got a slot. */
    default void started(SseStream out, ChoiceResult choice) {
    }

    /** New text (possibly empty, with probabilities only) of a choice. */
    void text(SseStream out, ChoiceResult choice, GenerationEvent.Text text);

    /** The choice ended with a stop or the token limit. */
    void finished(SseStream out, ChoiceResult choice);

    /** Every choice ended: the trailing events (usage, {@code [DONE]}). */
    void end(SseStream out, List<ChoiceResult> results);
}
