package io.llamabox.chat.tools;

import io.llamabox.chat.schema.GbnfBuilder;

import java.util.List;

/**
 * Mistral (7B v0.3, Nemo, Small, Large): {@code [TOOL_CALLS]} and a JSON array of
 * {@code {"name": ..., "arguments": {...}}} (an {@code "id"} may come along); newer tokenizers write
 * {@code [TOOL_CALLS]name[ARGS]{...}} (optionally with {@code [CALL_ID]id} before {@code [ARGS]}).
 */
final class MistralSyntax implements CallSyntax {
    static final String TAG = "[TOOL_CALLS]";
    private static final String ARGS = "[ARGS]";
    private static final String CALL_ID = "[CALL_ID]";

    @Override
    public Step scan(String buf, boolean callMayStart, boolean atEnd, ToolSet tools) {
        if (!buf.startsWith(TAG)) {
            return ToolSet.textBefore(buf, TAG, atEnd);
        }
        int start = JsonScan.skipSpace(buf, TAG.length());
        if (start >= buf.length()) {
            return atEnd ? Step.UNFINISHED : Step.WAIT;
        }
        char c = buf.charAt(start);
        if (c == '[' || c == '{') {
            return JsonCalls.read(buf, start, atEnd, TAG.length(), tools);
        }
        return nameThenArgs(buf, start, atEnd, tools);
    }

    /** {@code name[ARGS]{...}} or {@code name[CALL_ID]id[ARGS]{...}}. */
    private static Step nameThenArgs(String buf, int start, boolean atEnd, ToolSet tools) {
        int i = start;
        while (i < buf.length() && buf.charAt(i) != '[') {
            i++;
        }
        if (i >= buf.length()) {
            return atEnd ? Step.UNFINISHED : Step.WAIT;
        }
        String name = buf.substring(start, i).strip();
        String rest = buf.substring(i);
        if (rest.startsWith(CALL_ID)) {
            int args = buf.indexOf(ARGS, i + CALL_ID.length());
            if (args < 0) {
                return atEnd ? Step.UNFINISHED : Step.WAIT;
            }
            i = args;
            rest = buf.substring(i);
        }
        if (!rest.startsWith(ARGS)) {
            boolean partial = ARGS.startsWith(rest) || CALL_ID.startsWith(rest);
            return !partial ? new Step.Text(TAG.length()) : atEnd ? Step.UNFINISHED : Step.WAIT;
        }
        int open = JsonScan.skipSpace(buf, i + ARGS.length());
        int end = tools.container(buf, open);
        if (end == JsonScan.INCOMPLETE) {
            return atEnd ? Step.UNFINISHED : Step.WAIT;
        }
        ToolCall call = end < 0 || name.isEmpty() ? null
                : ToolSet.withArguments(name, ToolSet.parse(buf.substring(open, end)));
        return call == null ? new Step.Text(TAG.length()) : new Step.Calls(end, List.of(call));
    }

    @Override
    public String calls(GbnfBuilder g, ToolSet tools, boolean parallel) {
        return JsonCalls.taggedArrayGrammar(g, tools, parallel, "[TOOL_CALLS]");
    }

    @Override
    public List<String> triggers(ToolSet tools) {
        return List.of("(\\[TOOL_CALLS\\])");
    }

    @Override
    public boolean parallel() {
        return true;
    }
}
