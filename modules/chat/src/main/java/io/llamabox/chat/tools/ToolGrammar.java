package io.llamabox.chat.tools;

import java.util.List;
import java.util.Objects;

/**
 * A grammar for constrained decoding of a chat answer with tools.
 *
 * @param gbnf            the grammar (root rule {@code root})
 * @param lazy            whether it applies only from a trigger on (the model may write text first)
 * @param triggerPatterns for a lazy grammar: regular expressions searched for in the output so far; the
 *                        grammar starts at the first group of the first that is found
 */
public record ToolGrammar(String gbnf, boolean lazy, List<String> triggerPatterns) {
    public ToolGrammar {
        Objects.requireNonNull(gbnf, "gbnf");
        triggerPatterns = List.copyOf(triggerPatterns);
        if (lazy && triggerPatterns.isEmpty()) {
            throw new IllegalArgumentException("a lazy grammar needs trigger patterns");
        }
    }
}
