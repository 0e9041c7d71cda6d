package io.llamabox.chat.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.llamabox.chat.schema.GbnfBuilder;

import java.util.List;

/**
 * Qwen2/2.5, Qwen3 and Hermes 2 Pro: {@code <tool_call>\n{"name": ..., "arguments": {...}}\n</tool_call>},
 * one block per call, after optional text.
 */
final class HermesSyntax implements CallSyntax {
    static final String OPEN = "<tool_call>";
    static final String CLOSE = "</tool_call>";

    @Override
    public Step scan(String buf, boolean callMayStart, boolean atEnd, ToolSet tools) {
        if (!buf.startsWith(OPEN)) {
            return ToolSet.textBefore(buf, OPEN, atEnd);
        }
        int start = JsonScan.skipSpace(buf, OPEN.length());
        int end = tools.container(buf, start);
        if (end == JsonScan.INCOMPLETE) {
            return atEnd ? Step.UNFINISHED : Step.WAIT;
        }
        if (end == JsonScan.INVALID) {
            return new Step.Text(OPEN.length());
        }
        JsonNode obj = ToolSet.parse(buf.substring(start, end));
        ToolCall call = ToolSet.fromObject(obj);
        if (call == null) {
            return new Step.Text(OPEN.length());
        }
        int after = JsonScan.skipSpace(buf, end);
        String rest = buf.substring(after);
        if (rest.startsWith(CLOSE)) {
            return new Step.Calls(after + CLOSE.length(), List.of(call));
        }
        if (!atEnd && CLOSE.startsWith(rest)) {
            return Step.WAIT;
        }
        // a call without its closing tag (the output ended, or the model went on): still a call
        return new Step.Calls(atEnd && CLOSE.startsWith(rest) ? buf.length() : end, List.of(call));
    }

    @Override
    public String calls(GbnfBuilder g, ToolSet tools, boolean parallel) {
        String block = g.define("tool-call-block", "\"<tool_call>\" \"\\n\"? " + tools.callObjectRule(g, "arguments")
                + " \"\\n\"? \"</tool_call>\"");
        return parallel ? block + " (\"\\n\"? " + block + ")*" : block;
    }

    @Override
    public List<String> triggers(ToolSet tools) {
        return List.of("(<tool_call>)");
    }

    @Override
    public boolean parallel() {
        return true;
    }
}
