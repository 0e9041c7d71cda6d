package io.llamabox.server.generate;

import io.llamabox.spi.FinishReason;
import io.llamabox.spi.TokenProbabilities;
import io.llamabox.spi.Usage;
import java.util.ArrayList;
import java.util.List;

/** What one choice has produced so far; updated only by the thread that reads the run. */
public final class ChoiceResult {
    private final int index;
    private final int promptIndex;
    private final StringBuilder text = new StringBuilder();
    private final List<TokenProbabilities> probabilities = new ArrayList<>();
    private int slotId = -1;
    private FinishReason finishReason;
    private String stopWord = "";
    private Usage usage;

    ChoiceResult(int index, int promptIndex) {
        this.index = index;
        this.promptIndex = promptIndex;
    }

    void started(int slot) {
        slotId = slot;
    }

    void append(String piece, List<TokenProbabilities> probs) {
        text.append(piece);
        if (probs != null) {
            probabilities.addAll(probs);
        }
    }

    void finish(FinishReason reason, String word, Usage u) {
        finishReason = reason;
        stopWord = word == null ? "" : word;
        usage = u;
    }

    public int index() {
        return index;
    }

    /** Which of the request's prompts this choice continues. */
    public int promptIndex() {
        return promptIndex;
    }

    public String text() {
        return text.toString();
    }

    public List<TokenProbabilities> probabilities() {
        return probabilities;
    }

    public int slotId() {
        return slotId;
    }

    public FinishReason finishReason() {
        return finishReason;
    }

    /** The stop string that ended the choice, or empty. */
    public String stopWord() {
        return stopWord;
    }

    public Usage usage() {
        return usage;
    }

    /** OpenAI's {@code finish_reason}. */
    public String openAiFinishReason() {
        return finishReason == FinishReason.LENGTH ? "length" : "stop";
    }

    /** llama.cpp's {@code stop_type}: {@code eos}, {@code word} or {@code limit}. */
    public String stopType() {
        if (finishReason == FinishReason.LENGTH) {
            return "limit";
        }
        return stopWord.isEmpty() ? "eos" : "word";
    }
}
