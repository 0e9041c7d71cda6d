package io.llamabox.chat;

import io.llamabox.chat.jinja.Template;
import io.llamabox.chat.jinja.UsageTracker;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds a template's {@link TemplateCapabilities} the way the peer does: it renders fixed probe
 * conversations and looks at which of their values the template read. Content is probed twice, as a
 * string (the template must render it without indexing or filtering it like a list) and as a list of
 * parts (a template that renders that and reads it as a list handles parts). A probe that throws counts
 * as "not supported" where the peer counts it so.
 */
final class CapabilityProbe {

    private CapabilityProbe() {
    }

    /** Records reads by identity; probe strings are fresh objects so that no literal aliases them. */
    private static final class Recorder implements UsageTracker {
        private final Set<Object> used = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Map<Object, Set<String>> operations = new IdentityHashMap<>();

        @Override
        public void used(Object value) {
            if (value != null) {
                used.add(value);
            }
        }

        @Override
        public void operation(Object value, String operation) {
            if (value != null) {
                operations.computeIfAbsent(value, k -> new HashSet<>()).add(operation);
            }
        }

        boolean wasUsed(Object value) {
            return used.contains(value);
        }

        boolean had(Object value, String operation) {
            return operations.getOrDefault(value, Set.of()).contains(operation);
        }
    }

    private record Run(boolean success, Recorder recorder) {
    }

    private static Run run(Template template, List<Object> messages, List<Object> tools) {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("messages", messages);
        ctx.put("tools", tools);
        ctx.put("bos_token", "");
        ctx.put("eos_token", "");
        ctx.put("add_generation_prompt", true);
        Recorder recorder = new Recorder();
        try {
            template.render(ctx, ZonedDateTime::now, recorder);
            return new Run(true, recorder);
        } catch (RuntimeException e) {
            return new Run(false, recorder);
        }
    }

    private static String fresh(String s) {
        return new String(s.toCharArray());
    }

    private static Map<String, Object> message(String role, Object content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }

    private static Map<String, Object> toolCall(String id, Object arguments) {
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", fresh("tool1"));
        function.put("arguments", arguments);
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("id", id);
        call.put("type", "function");
        call.put("function", function);
        return call;
    }

    private static List<Object> toolConversation(List<Object> calls) {
        Map<String, Object> assistant = message("assistant", "");
        assistant.put("tool_calls", calls);
        Map<String, Object> tool = message("tool", fresh("Tool response"));
        tool.put("tool_call_id", "call00001");
        return new ArrayList<>(List.of(message("user", fresh("User message")), assistant, tool,
                message("assistant", fresh("The tool response was 'tool response'")),
                message("user", fresh("User message"))));
    }

    private static List<Object> probeTools() {
        Map<String, Object> arg = new LinkedHashMap<>();
        arg.put("type", "string");
        arg.put("description", "Arg description");
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("arg", arg);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("type", "object");
        parameters.put("properties", properties);
        parameters.put("required", new ArrayList<>(List.of("arg")));
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", fresh("tool1"));
        function.put("description", "Tool description");
        function.put("parameters", parameters);
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("name", "tool");
        tool.put("type", "function");
        tool.put("function", function);
        return new ArrayList<>(List.of(tool));
    }

    private static boolean readAsParts(Recorder recorder, Object content) {
        return recorder.had(content, "selectattr") || recorder.had(content, "array_access");
    }

    @SuppressWarnings("unchecked")
    private static Object at(Object v, Object... path) {
        Object cur = v;
        for (Object p : path) {
            cur = p instanceof Integer i ? ((List<Object>) cur).get(i) : ((Map<String, Object>) cur).get(p);
        }
        return cur;
    }

    static TemplateCapabilities detect(Template template) {
        boolean stringContent = true;
        boolean typedContent = false;
        boolean systemRole = true;
        boolean tools = true;
        boolean toolCalls = true;
        boolean parallel = true;
        boolean objectArguments = false;

        // content as a string: the template must render it without treating it as a list of parts
        String content = fresh("content");
        Run asString = run(template, new ArrayList<>(List.of(message("user", content))), new ArrayList<>());
        if (readAsParts(asString.recorder(), content)) {
            typedContent = true;
            stringContent = false;
        }
        if (!asString.success()) {
            stringContent = false;
        }
        // content as a list of parts: a template that renders it and reads it as a list handles parts
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("type", "text");
        part.put("text", fresh("content"));
        List<Object> parts = new ArrayList<>(List.of(part));
        Run asParts = run(template, new ArrayList<>(List.of(message("user", parts))), new ArrayList<>());
        if (asParts.success() && readAsParts(asParts.recorder(), parts)) {
            typedContent = true;
        }

        // a leading system message: is its content read at all?
        String system = fresh("System message");
        Run sys = run(template, new ArrayList<>(List.of(message("system", system),
                message("user", fresh("User message")))), new ArrayList<>());
        if (!sys.recorder().wasUsed(system)) {
            systemRole = false;
        }

        // a tool call with object arguments
        String argValue = fresh("value");
        Map<String, Object> objectArgs = new LinkedHashMap<>();
        objectArgs.put("arg", argValue);
        List<Object> messages = toolConversation(new ArrayList<>(List.of(toolCall("call00001", objectArgs))));
        List<Object> probeTools = probeTools();
        Run obj = run(template, messages, probeTools);
        if (obj.success()) {
            if (!obj.recorder().wasUsed(at(probeTools, 0, "function", "name"))) {
                tools = false;
            }
            Object calls = at(messages, 1, "tool_calls");
            if (!obj.recorder().wasUsed(calls)) {
                toolCalls = false;
            } else if (obj.recorder().wasUsed(argValue)) {
                objectArguments = true;
            }
        }

        // a tool call with string arguments, when object arguments were not read
        if (!objectArguments) {
            messages = toolConversation(new ArrayList<>(List.of(toolCall("call00001", fresh("{\"arg\": \"value\"}")))));
            probeTools = probeTools();
            Run str = run(template, messages, probeTools);
            if (!str.success()) {
                toolCalls = false;
                tools = false;
            } else {
                if (!str.recorder().wasUsed(at(probeTools, 0, "function", "name"))) {
                    tools = false;
                }
                if (!str.recorder().wasUsed(at(messages, 1, "tool_calls"))) {
                    toolCalls = false;
                }
            }
        }

        // two tool calls in one message: is the second one read?
        Object args1 = objectArguments ? new LinkedHashMap<>(Map.of("arg", "value")) : "{\"arg\": \"value\"}";
        Object args2 = objectArguments ? new LinkedHashMap<>(Map.of("arg", "value")) : "{\"arg\": \"value\"}";
        messages = toolConversation(new ArrayList<>(List.of(toolCall("call00001", args1), toolCall("call00002", args2))));
        Run par = run(template, messages, probeTools());
        if (!par.success() || !par.recorder().wasUsed(at(messages, 1, "tool_calls", 1, "function"))) {
            parallel = false;
        }

        return new TemplateCapabilities(stringContent, typedContent, systemRole, tools, toolCalls, parallel,
                objectArguments);
    }
}
