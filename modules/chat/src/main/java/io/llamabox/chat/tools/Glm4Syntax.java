package io.llamabox.chat.tools;

import io.llamabox.chat.schema.GbnfBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * ChatGLM4 / GLM-4: the answer starts with the function's name on its own line, then its arguments as a
 * JSON object; a further call follows a new {@code <|assistant|>}.
 */
final class Glm4Syntax implements CallSyntax {
    static final String ASSISTANT = "<|assistant|>";

    @Override
    public Step scan(String buf, boolean callMayStart, boolean atEnd, ToolSet tools) {
        if (!callMayStart) {
            return new Step.Text(buf.length());
        }
        int p = 0;
        if (buf.startsWith(ASSISTANT)) {
            p = ASSISTANT.length();
        } else if (!atEnd && ASSISTANT.startsWith(buf)) {
            return Step.WAIT;
        }
        int nl = buf.indexOf('\n', p);
        if (nl < 0) {
            String line = buf.substring(p).stripLeading();
            return !atEnd && tools.namePrefix(line) ? Step.WAIT : new Step.Text(buf.length());
        }
        String name = buf.substring(p, nl).strip();
        if (!tools.has(name)) {
            return new Step.Text(buf.length());
        }
        int start = JsonScan.skipSpace(buf, nl + 1);
        int end = tools.container(buf, start);
        if (end == JsonScan.INCOMPLETE) {
            return atEnd ? Step.UNFINISHED : Step.WAIT;
        }
        ToolCall call = end < 0 ? null : ToolSet.withArguments(name, ToolSet.parse(buf.substring(start, end)));
        return call == null ? new Step.Text(buf.length()) : new Step.Calls(end, List.of(call));
    }

    @Override
    public String calls(GbnfBuilder g, ToolSet tools, boolean parallel) {
        List<String> alts = new ArrayList<>();
        for (ToolDefinition t : tools.all()) {
            alts.add(GbnfBuilder.literal(t.name() + "\n") + " " + ToolSet.argumentsRule(g, t));
        }
        return "(" + String.join(" | ", alts) + ")";
    }

    @Override
    public List<String> triggers(ToolSet tools) {
        return List.of("^((?:" + tools.nameRegex() + ")\\n)");
    }

    @Override
    public boolean parallel() {
        return false;
    }
}
