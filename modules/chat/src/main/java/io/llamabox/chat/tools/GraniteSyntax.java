package io.llamabox.chat.tools;

import io.llamabox.chat.schema.GbnfBuilder;

import java.util.List;

/** IBM Granite 3.x: {@code <|tool_call|>} and a JSON array of {@code {"name": ..., "arguments": {...}}}. */
final class GraniteSyntax implements CallSyntax {
    static final String TAG = "<|tool_call|>";

    @Override
    public Step scan(String buf, boolean callMayStart, boolean atEnd, ToolSet tools) {
        if (!buf.startsWith(TAG)) {
            return ToolSet.textBefore(buf, TAG, atEnd);
        }
        int start = JsonScan.skipSpace(buf, TAG.length());
        if (start >= buf.length()) {
            return atEnd ? Step.UNFINISHED : Step.WAIT;
        }
        return JsonCalls.read(buf, start, atEnd, TAG.length(), tools);
    }

    @Override
    public String calls(GbnfBuilder g, ToolSet tools, boolean parallel) {
        return JsonCalls.taggedArrayGrammar(g, tools, parallel, "<|tool_call|>");
    }

    @Override
    public List<String> triggers(ToolSet tools) {
        return List.of("(<\\|tool_call\\|>)");
    }

    @Override
    public boolean parallel() {
        return true;
    }
}
