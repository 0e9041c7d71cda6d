package io.llamabox.chat.tools;

import io.llamabox.chat.schema.GbnfBuilder;

import java.util.List;

/** How one model family writes tool calls: reading them from output, and a grammar that writes them. */
sealed interface CallSyntax permits HermesSyntax, Llama3Syntax, MistralSyntax, GraniteSyntax, Glm4Syntax {
    /**
     * Reads the start of {@code buf}. {@code callMayStart}: nothing but whitespace since the output began or
     * since the last call (formats whose calls have no marker only start there). At the end of the output
     * the answer is never {@link Step.Wait}.
     */
    Step scan(String buf, boolean callMayStart, boolean atEnd, ToolSet tools);

    /** A GBNF expression for the calls (one, or several when {@code parallel} and the format allows). */
    String calls(GbnfBuilder g, ToolSet tools, boolean parallel);

    /**
     * The GBNF expression a lazy grammar starts from when one of {@link #triggers} matched (the grammar
     * receives the output from the trigger's first group on).
     */
    default String lazyCalls(GbnfBuilder g, ToolSet tools, boolean parallel) {
        return calls(g, tools, parallel);
    }

    /**
     * Patterns searched for in the output so far (anchored with {@code ^} where a call can only open the
     * answer) whose first group starts a call, for a lazy grammar when the model may also answer in text.
     * No {@code [\s\S]*} wrappers: llama.cpp searches unanchored patterns, and its backtracking regex engine
     * takes time cubic in the output's length on such wrappers.
     */
    List<String> triggers(ToolSet tools);

    /** Whether one message can carry several calls in this format. */
    boolean parallel();
}
