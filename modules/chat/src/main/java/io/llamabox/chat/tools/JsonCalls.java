package io.llamabox.chat.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.llamabox.chat.schema.GbnfBuilder;
import io.llamabox.chat.schema.JsonSchemaGrammar;

import java.util.ArrayList;
import java.util.List;

/** A JSON array of call objects (or one call object) after a marker, as Mistral and Granite write them. */
final class JsonCalls {
    private JsonCalls() {
    }

    /**
     * Reads the calls at {@code start}; {@code marker} is the length of the marker before them, which becomes
     * text when what follows is not calls.
     */
    static Step read(String buf, int start, boolean atEnd, int marker, ToolSet tools) {
        int end = tools.container(buf, start);
        if (end == JsonScan.INCOMPLETE) {
            return atEnd ? Step.UNFINISHED : Step.WAIT;
        }
        if (end == JsonScan.INVALID) {
            return new Step.Text(marker);
        }
        JsonNode node = ToolSet.parse(buf.substring(start, end));
        List<ToolCall> calls = new ArrayList<>();
        if (node != null && node.isArray()) {
            for (JsonNode item : node) {
                ToolCall call = ToolSet.fromObject(item);
                if (call == null) {
                    return new Step.Text(marker);
                }
                calls.add(call);
            }
        } else {
            ToolCall call = ToolSet.fromObject(node);
            if (call == null) {
                return new Step.Text(marker);
            }
            calls.add(call);
        }
        if (calls.isEmpty()) {
            return new Step.Text(marker);
        }
        return new Step.Calls(end, calls);
    }

    /**
     * The grammar of {@code tag} followed by a JSON array of call objects ({@code name} and
     * {@code arguments}); one call unless {@code parallel}.
     */
    static String taggedArrayGrammar(GbnfBuilder g, ToolSet tools, boolean parallel, String tag) {
        String sp = JsonSchemaGrammar.space(g);
        String call = tools.callObjectRule(g, "arguments");
        String more = parallel ? " (\",\" " + sp + " " + call + ")*" : "";
        return "\"" + tag + "\" \" \"? \"[\" " + call + more + " \"]\"";
    }
}
