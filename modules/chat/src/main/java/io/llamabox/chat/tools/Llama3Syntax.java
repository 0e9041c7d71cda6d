package io.llamabox.chat.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llamabox.chat.schema.GbnfBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * LLaMA 3.1/3.2/3.3: a JSON object {@code {"name": ..., "parameters": {...}}} as the whole answer (several
 * separated by {@code ;} are read too), or after {@code <|python_tag|>}, where built-in tools are also
 * written as {@code name.call(key="value", ...)} and plain code goes to a {@code python} or
 * {@code code_interpreter} tool.
 */
final class Llama3Syntax implements CallSyntax {
    static final String PYTHON_TAG = "<|python_tag|>";

    @Override
    public Step scan(String buf, boolean callMayStart, boolean atEnd, ToolSet tools) {
        if (callMayStart) {
            int ws = JsonScan.skipSpace(buf, 0);
            if (ws > 0) {
                return new Step.Text(ws);
            }
            if (buf.startsWith(";")) {
                return new Step.Calls(1, List.of()); // between calls
            }
            if (buf.startsWith("{")) {
                return jsonAtStart(buf, atEnd, tools);
            }
        }
        if (!buf.startsWith(PYTHON_TAG)) {
            return ToolSet.textBefore(buf, PYTHON_TAG, atEnd);
        }
        return afterTag(buf, atEnd, tools);
    }

    /** A JSON object opening the answer: a call when it names a known function, otherwise text. */
    private static Step jsonAtStart(String buf, boolean atEnd, ToolSet tools) {
        int end = tools.container(buf, 0);
        if (end == JsonScan.INCOMPLETE) {
            return !mayBeCall(buf, tools) ? new Step.Text(buf.length()) : atEnd ? Step.UNFINISHED : Step.WAIT;
        }
        if (end == JsonScan.INVALID) {
            return new Step.Text(buf.length());
        }
        ToolCall call = ToolSet.fromObject(ToolSet.parse(buf.substring(0, end)));
        if (call == null || !tools.has(call.name())) {
            return new Step.Text(end);
        }
        return new Step.Calls(end, List.of(call));
    }

    /** Whether an unfinished object could still turn out to be a call: its first key is "name" or "type". */
    static boolean mayBeCall(String buf, ToolSet tools) {
        int i = JsonScan.skipSpace(buf, 1);
        if (i >= buf.length()) {
            return true;
        }
        if (buf.charAt(i) != '"') {
            return false;
        }
        int close = buf.indexOf('"', i + 1);
        String key = close < 0 ? buf.substring(i + 1) : buf.substring(i + 1, close);
        if (close < 0) {
            return "name".startsWith(key) || "type".startsWith(key) || "function".startsWith(key);
        }
        if (!key.equals("name")) {
            return key.equals("type") || key.equals("function");
        }
        int j = JsonScan.skipSpace(buf, close + 1);
        if (j >= buf.length()) {
            return true;
        }
        if (buf.charAt(j) != ':') {
            return false;
        }
        j = JsonScan.skipSpace(buf, j + 1);
        if (j >= buf.length()) {
            return true;
        }
        if (buf.charAt(j) != '"') {
            return false;
        }
        int nameEnd = buf.indexOf('"', j + 1);
        return nameEnd < 0 ? tools.namePrefix(buf.substring(j + 1)) : tools.has(buf.substring(j + 1, nameEnd));
    }

    private static Step afterTag(String buf, boolean atEnd, ToolSet tools) {
        int start = JsonScan.skipSpace(buf, PYTHON_TAG.length());
        if (start >= buf.length()) {
            return atEnd ? Step.UNFINISHED : Step.WAIT;
        }
        if (buf.charAt(start) == '{') {
            List<ToolCall> calls = new ArrayList<>();
            int pos = start;
            while (true) {
                int end = tools.container(buf, pos);
                if (end == JsonScan.INCOMPLETE) {
                    return !atEnd ? Step.WAIT : calls.isEmpty() ? Step.UNFINISHED : new Step.Calls(pos, calls);
                }
                ToolCall call = end < 0 ? null : ToolSet.fromObject(ToolSet.parse(buf.substring(pos, end)));
                if (call == null) {
                    return fallback(buf, calls, pos);
                }
                calls.add(call);
                int next = JsonScan.skipSpace(buf, end);
                if (next < buf.length() && buf.charAt(next) == ';') {
                    next = JsonScan.skipSpace(buf, next + 1);
                    if (next >= buf.length() && !atEnd) {
                        return Step.WAIT;
                    }
                    if (next < buf.length() && buf.charAt(next) == '{') {
                        pos = next;
                        continue;
                    }
                }
                return new Step.Calls(end, calls);
            }
        }
        PythonCall py = PythonCall.read(buf, start);
        if (py.status() == PythonCall.Status.INCOMPLETE) {
            return atEnd ? code(buf, start, tools) : Step.WAIT;
        }
        if (py.status() == PythonCall.Status.CALL) {
            return new Step.Calls(py.end(), List.of(py.call()));
        }
        if (!atEnd) {
            return codeTool(tools) == null ? new Step.Text(PYTHON_TAG.length()) : Step.WAIT;
        }
        return code(buf, start, tools);
    }

    private static Step fallback(String buf, List<ToolCall> calls, int pos) {
        return calls.isEmpty() ? new Step.Text(PYTHON_TAG.length()) : new Step.Calls(pos, calls);
    }

    /** Everything after the tag is code for the code tool, if there is one. */
    private static Step code(String buf, int start, ToolSet tools) {
        String tool = codeTool(tools);
        if (tool == null) {
            return new Step.Text(PYTHON_TAG.length());
        }
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        args.put("code", buf.substring(start));
        return new Step.Calls(buf.length(), List.of(ToolSet.withArguments(tool, args)));
    }

    private static String codeTool(ToolSet tools) {
        return tools.has("python") ? "python" : tools.has("code_interpreter") ? "code_interpreter" : null;
    }

    @Override
    public String calls(GbnfBuilder g, ToolSet tools, boolean parallel) {
        return tools.callObjectRule(g, "parameters");
    }

    @Override
    public String lazyCalls(GbnfBuilder g, ToolSet tools, boolean parallel) {
        String call = tools.callObjectRule(g, "parameters");
        return call + " | \"<|python_tag|>\" " + call;
    }

    @Override
    public List<String> triggers(ToolSet tools) {
        return List.of("^[ \\t\\n]*(\\{\"name\": ?\"(?:" + tools.nameRegex() + ")\")", "(<\\|python_tag\\|>)");
    }

    @Override
    public boolean parallel() {
        return false;
    }

    /** The python-call form {@code name.call(key=value, ...)} of built-in tools. */
    record PythonCall(Status status, int end, ToolCall call) {
        enum Status { CALL, INCOMPLETE, NOT_A_CALL }

        static PythonCall read(String s, int start) {
            int i = start;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            if (i == start) {
                return new PythonCall(Status.NOT_A_CALL, 0, null);
            }
            String name = s.substring(start, i);
            String opening = ".call(";
            String rest = s.substring(i);
            if (rest.length() < opening.length()) {
                return new PythonCall(opening.startsWith(rest) ? Status.INCOMPLETE : Status.NOT_A_CALL, 0, null);
            }
            if (!rest.startsWith(opening)) {
                return new PythonCall(Status.NOT_A_CALL, 0, null);
            }
            i += opening.length();
            ObjectNode args = JsonNodeFactory.instance.objectNode();
            while (true) {
                i = JsonScan.skipSpace(s, i);
                if (i >= s.length()) {
                    return new PythonCall(Status.INCOMPLETE, 0, null);
                }
                if (s.charAt(i) == ')') {
                    ToolCall call = ToolSet.withArguments(name, args);
                    return new PythonCall(Status.CALL, i + 1, call);
                }
                int k = i;
                while (k < s.length() && (Character.isLetterOrDigit(s.charAt(k)) || s.charAt(k) == '_')) {
                    k++;
                }
                if (k >= s.length()) {
                    return new PythonCall(Status.INCOMPLETE, 0, null);
                }
                if (k == i) {
                    return new PythonCall(Status.NOT_A_CALL, 0, null);
                }
                String key = s.substring(i, k);
                k = JsonScan.skipSpace(s, k);
                if (k >= s.length()) {
                    return new PythonCall(Status.INCOMPLETE, 0, null);
                }
                if (s.charAt(k) != '=') {
                    return new PythonCall(Status.NOT_A_CALL, 0, null);
                }
                k = JsonScan.skipSpace(s, k + 1);
                int[] end = new int[1];
                JsonNode value = pythonValue(s, k, end);
                if (end[0] == JsonScan.INCOMPLETE) {
                    return new PythonCall(Status.INCOMPLETE, 0, null);
                }
                if (value == null) {
                    return new PythonCall(Status.NOT_A_CALL, 0, null);
                }
                args.set(key, value);
                i = JsonScan.skipSpace(s, end[0]);
                if (i >= s.length()) {
                    return new PythonCall(Status.INCOMPLETE, 0, null);
                }
                if (s.charAt(i) == ',') {
                    i++;
                } else if (s.charAt(i) != ')') {
                    return new PythonCall(Status.NOT_A_CALL, 0, null);
                }
            }
        }

        /** A Python literal: a quoted string, a number, True/False/None. */
        private static JsonNode pythonValue(String s, int i, int[] end) {
            JsonNodeFactory f = JsonNodeFactory.instance;
            if (i >= s.length()) {
                end[0] = JsonScan.INCOMPLETE;
                return null;
            }
            char q = s.charAt(i);
            if (q == '"' || q == '\'') {
                StringBuilder sb = new StringBuilder();
                for (int k = i + 1; k < s.length(); k++) {
                    char c = s.charAt(k);
                    if (c == '\\') {
                        if (k + 1 >= s.length()) {
                            break;
                        }
                        char e = s.charAt(++k);
                        sb.append(switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            default -> e;
                        });
                    } else if (c == q) {
                        end[0] = k + 1;
                        return f.textNode(sb.toString());
                    } else {
                        sb.append(c);
                    }
                }
                end[0] = JsonScan.INCOMPLETE;
                return null;
            }
            int k = i;
            while (k < s.length() && (Character.isLetterOrDigit(s.charAt(k)) || "+-.".indexOf(s.charAt(k)) >= 0)) {
                k++;
            }
            if (k >= s.length()) {
                end[0] = JsonScan.INCOMPLETE;
                return null;
            }
            String word = s.substring(i, k);
            end[0] = k;
            return switch (word) {
                case "True" -> f.booleanNode(true);
                case "False" -> f.booleanNode(false);
                case "None" -> f.nullNode();
                default -> {
                    JsonNode n = ToolSet.parse(word);
                    yield n != null && n.isNumber() ? n : null;
                }
            };
        }
    }
}
