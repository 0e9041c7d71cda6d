package io.llamabox.chat.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Functions every template can call: Jinja2's globals and the ones Hugging Face adds. */
final class Globals {

    private Globals() {
    }

    private static final Map<String, JinjaCallable> FUNCTIONS = Map.of(
            "range", Globals::range,
            "namespace", Globals::namespace,
            "dict", Globals::dict,
            "raise_exception", Globals::raiseException,
            "strftime_now", Globals::strftimeNow,
            "joiner", Globals::joiner);

    static JinjaCallable get(String name) {
        return FUNCTIONS.get(name);
    }

    private static Object range(Renderer r, List<Object> args, Map<String, Object> kwargs) {
        long start = 0;
        long stop;
        long step = 1;
        switch (args.size()) {
            case 1 -> stop = Values.asLong(args.getFirst());
            case 2, 3 -> {
                start = Values.asLong(args.get(0));
                stop = Values.asLong(args.get(1));
                if (args.size() == 3) {
                    step = Values.asLong(args.get(2));
                }
            }
            default -> throw new EvalError("range expected 1 to 3 arguments, got " + args.size());
        }
        if (step == 0) {
            throw new EvalError("range() arg 3 must not be zero");
        }
        List<Object> out = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            if (out.size() >= Renderer.maxRange()) {
                throw new EvalError("range is too big, at most " + Renderer.maxRange() + " items are allowed");
            }
            out.add(i);
        }
        return out;
    }

    private static Object namespace(Renderer r, List<Object> args, Map<String, Object> kwargs) {
        Namespace ns = new Namespace();
        for (Object a : args) {
            if (!(a instanceof Map<?, ?> m)) {
                throw new EvalError("namespace() takes keyword arguments or a mapping, got " + Values.typeName(a));
            }
            m.forEach((k, v) -> ns.attributes.put(String.valueOf(k), v));
        }
        ns.attributes.putAll(kwargs);
        return ns;
    }

    private static Object dict(Renderer r, List<Object> args, Map<String, Object> kwargs) {
        Map<Object, Object> out = new LinkedHashMap<>();
        for (Object a : args) {
            if (a instanceof Map<?, ?> m) {
                out.putAll(m);
            } else {
                for (Object pair : Values.iterate(a)) {
                    List<?> kv = (List<?>) pair;
                    out.put(Values.mapKey(kv.get(0)), kv.get(1));
                }
            }
        }
        out.putAll(kwargs);
        return out;
    }

    private static Object raiseException(Renderer r, List<Object> args, Map<String, Object> kwargs) {
        Object msg = args.isEmpty() ? kwargs.get("message") : args.getFirst();
        throw new Renderer.RaisedSignal(Values.str(msg));
    }

    private static Object strftimeNow(Renderer r, List<Object> args, Map<String, Object> kwargs) {
        if (args.isEmpty() || !(args.getFirst() instanceof String fmt)) {
            throw new EvalError("strftime_now expects a format string");
        }
        return Strftime.format(fmt, r.now());
    }

    private static Object joiner(Renderer r, List<Object> args, Map<String, Object> kwargs) {
        String sep = args.isEmpty() ? Values.str(kwargs.getOrDefault("sep", ", ")) : Values.str(args.getFirst());
        boolean[] used = {false};
        return (JinjaCallable) (rr, a, k) -> {
            if (!used[0]) {
                used[0] = true;
                return "";
            }
            return sep;
        };
    }
}
