package io.llamabox.chat.jinja;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Walks a parsed template and writes its output. One instance per render; not thread-safe. */
final class Renderer {

    private enum Flow { NORMAL, BREAK, CONTINUE }

    private static final int MAX_RANGE = 100_000;
    private static final int MAX_CALL_DEPTH = 200;

    private final String source;
    private final Supplier<ZonedDateTime> clock;
    private final UsageTracker tracker;
    private int callDepth;

    Renderer(String source, Supplier<ZonedDateTime> clock, UsageTracker tracker) {
        this.source = source;
        this.clock = clock;
        this.tracker = tracker;
    }

    String render(List<Node> body, Map<String, Object> context) {
        StringBuilder out = new StringBuilder(1024);
        Scope scope = new Scope(Scope.root(context));
        Flow flow = exec(body, scope, out);
        if (flow != Flow.NORMAL) {
            throw TemplateException.runtime(source, -1, "'break' or 'continue' outside of a loop");
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- statements

    private Flow exec(List<Node> body, Scope scope, StringBuilder out) {
        for (Node node : body) {
            Flow f;
            try {
                f = execNode(node, scope, out);
            } catch (EvalError e) {
                throw TemplateException.runtime(source, node.pos(), e.getMessage());
            } catch (ClassCastException | IndexOutOfBoundsException | NumberFormatException e) {
                throw TemplateException.runtime(source, node.pos(), "invalid value: " + e.getMessage());
            } catch (StackOverflowError e) {
                throw TemplateException.runtime(source, node.pos(), "template recursion is too deep");
            }
            if (f != Flow.NORMAL) {
                return f;
            }
        }
        return Flow.NORMAL;
    }

    private Flow execNode(Node node, Scope scope, StringBuilder out) {
        switch (node) {
            case Node.Text t -> out.append(t.text());
            case Node.Output o -> out.append(Values.str(eval(o.expr(), scope)));
            case Node.If f -> {
                for (int i = 0; i < f.conditions().size(); i++) {
                    if (Values.truthy(eval(f.conditions().get(i), scope))) {
                        return exec(f.bodies().get(i), scope, out);
                    }
                }
                return exec(f.otherwise(), scope, out);
            }
            case Node.For f -> execFor(f, eval(f.iterable(), scope), scope, out, 1);
            case Node.Set s -> assign(s.target(), eval(s.value(), scope), scope);
            case Node.SetBlock s -> {
                StringBuilder body = new StringBuilder();
                exec(s.body(), new Scope(scope), body);
                Object value = body.toString();
                for (Expr.Filter f : s.filters()) {
                    value = applyFilterNode(f, value, scope);
                }
                assign(s.target(), value, scope);
            }
            case Node.Macro m -> scope.set(m.name(), new Macro(m.name(), m.params(), m.body(), scope));
            case Node.CallBlock c -> {
                Macro caller = new Macro("caller", c.params(), c.body(), scope);
                out.append(Values.str(call(c.call(), scope, caller)));
            }
            case Node.FilterBlock fb -> {
                StringBuilder body = new StringBuilder();
                Flow flow = exec(fb.body(), scope, body);
                Object value = body.toString();
                for (Expr.Filter f : fb.filters()) {
                    value = applyFilterNode(f, value, scope);
                }
                out.append(Values.str(value));
                return flow;
            }
            case Node.With w -> {
                Scope inner = new Scope(scope);
                for (int i = 0; i < w.targets().size(); i++) {
                    assign(w.targets().get(i), eval(w.values().get(i), scope), inner);
                }
                return exec(w.body(), inner, out);
            }
            case Node.Do d -> eval(d.expr(), scope);
            case Node.Break b -> {
                return Flow.BREAK;
            }
            case Node.Continue c -> {
                return Flow.CONTINUE;
            }
        }
        return Flow.NORMAL;
    }

    private void execFor(Node.For f, Object iterable, Scope scope, StringBuilder out, int depth) {
        List<?> items = loopItems(iterable, f.target() instanceof Node.TupleTarget);
        Scope loopScope = new Scope(scope);
        List<Object> selected;
        if (f.filter() != null) {
            selected = new ArrayList<>();
            for (Object item : items) {
                assign(f.target(), item, loopScope);
                if (Values.truthy(eval(f.filter(), loopScope))) {
                    selected.add(item);
                }
            }
        } else {
            selected = new ArrayList<>(items);
        }
        JinjaCallable recurse = null;
        if (f.recursive()) {
            recurse = (r, args, kwargs) -> {
                StringBuilder sub = new StringBuilder();
                execFor(f, args.isEmpty() ? Undefined.INSTANCE : args.getFirst(), scope, sub, depth + 1);
                return sub.toString();
            };
        }
        LoopState loop = new LoopState(selected, depth, recurse);
        for (int i = 0; i < selected.size(); i++) {
            loop.index0 = i;
            assign(f.target(), selected.get(i), loopScope);
            loopScope.set("loop", loop);
            if (exec(f.body(), loopScope, out) == Flow.BREAK) {
                break;
            }
        }
        if (selected.isEmpty()) {
            exec(f.otherwise(), scope, out);
        }
    }

    /** What a for loop iterates: mapping keys (or key/value pairs for a tuple target), list items; no strings. */
    private List<?> loopItems(Object iterable, boolean tupleTarget) {
        if (iterable instanceof Map<?, ?> m) {
            track(iterable, "object_access");
            if (tupleTarget) {
                List<Object> pairs = new ArrayList<>(m.size());
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    pairs.add(Tuple.of(e.getKey(), e.getValue()));
                }
                return pairs;
            }
            return new ArrayList<>(m.keySet());
        }
        if (iterable instanceof List<?> l) {
            track(iterable, "array_access");
            return l;
        }
        if (iterable instanceof Undefined) {
            return List.of();
        }
        if (iterable instanceof String) {
            // the peer refuses to loop over a string; templates that do expect content parts
            track(iterable, "array_access");
        }
        throw new EvalError("cannot loop over a value of type '" + Values.typeName(iterable) + "'");
    }

    private void assign(Node.Target target, Object value, Scope scope) {
        switch (target) {
            case Node.NameTarget n -> scope.set(n.name(), value);
            case Node.TupleTarget t -> {
                List<?> items = Values.iterate(value);
                if (items.size() != t.items().size()) {
                    throw new EvalError((items.size() > t.items().size() ? "too many" : "not enough")
                            + " values to unpack (expected " + t.items().size() + ", got " + items.size() + ")");
                }
                for (int i = 0; i < items.size(); i++) {
                    assign(t.items().get(i), items.get(i), scope);
                }
            }
            case Node.AttrTarget a -> {
                Object obj = eval(a.obj(), scope);
                if (obj instanceof Namespace ns) {
                    ns.attributes.put(a.name(), value);
                } else if (obj instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    Map<Object, Object> mm = (Map<Object, Object>) m;
                    mm.put(a.name(), value);
                } else {
                    throw new EvalError("cannot assign attribute '" + a.name() + "' on a value of type '"
                            + Values.typeName(obj) + "'");
                }
            }
        }
    }

    // ---------------------------------------------------------------- expressions

    private void track(Object value, String operation) {
        if (tracker != null) {
            tracker.used(value);
            tracker.operation(value, operation);
        }
    }

    private void trackUsed(Object value) {
        if (tracker != null) {
            tracker.used(value);
        }
    }

    Object eval(Expr expr, Scope scope) {
        switch (expr) {
            case Expr.Literal l -> {
                return l.value();
            }
            case Expr.Name n -> {
                Object v = scope.lookup(n.name());
                if (v != Scope.MISSING) {
                    trackUsed(v);
                    return v;
                }
                Object g = Globals.get(n.name());
                return g != null ? g : Undefined.named(n.name());
            }
            case Expr.GetAttr g -> {
                Object obj = eval(g.obj(), scope);
                Object v = Values.getAttr(obj, g.name());
                if (tracker != null) {
                    track(obj, g.name());
                    if (!(v instanceof Methods.Bound)) {
                        tracker.used(v);
                        tracker.operation(obj, "object_access");
                    }
                }
                return v;
            }
            case Expr.GetItem g -> {
                Object obj = eval(g.obj(), scope);
                Object key = eval(g.key(), scope);
                Object v = Values.getItem(obj, key);
                if (tracker != null) {
                    tracker.used(v);
                    tracker.used(obj);
                    if (Values.isInteger(key)) {
                        tracker.operation(obj, "array_access");
                    } else if (key instanceof String) {
                        tracker.operation(obj, "object_access");
                    }
                }
                return v;
            }
            case Expr.Slice s -> {
                Object obj = eval(s.obj(), scope);
                track(obj, "slice");
                return Values.slice(obj, s.start() == null ? null : eval(s.start(), scope),
                        s.stop() == null ? null : eval(s.stop(), scope), s.step() == null ? null : eval(s.step(), scope));
            }
            case Expr.ListLit l -> {
                List<Object> out = new ArrayList<>(l.items().size());
                for (Expr e : l.items()) {
                    out.add(eval(e, scope));
                }
                return out;
            }
            case Expr.TupleLit t -> {
                Object[] items = new Object[t.items().size()];
                for (int i = 0; i < items.length; i++) {
                    items[i] = eval(t.items().get(i), scope);
                }
                return Tuple.of(items);
            }
            case Expr.DictLit d -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                for (int i = 0; i < d.keys().size(); i++) {
                    out.put(Values.mapKey(eval(d.keys().get(i), scope)), eval(d.values().get(i), scope));
                }
                return out;
            }
            case Expr.Call c -> {
                return call(c, scope, null);
            }
            case Expr.Filter f -> {
                return applyFilterNode(f, eval(f.input(), scope), scope);
            }
            case Expr.Test t -> {
                Object v = eval(t.input(), scope);
                List<Object> args = new ArrayList<>();
                Map<String, Object> kwargs = new LinkedHashMap<>();
                evalArgs(t.args(), scope, args, kwargs);
                boolean r;
                try {
                    r = Tests.apply(t.name(), v, args, kwargs);
                } catch (EvalError e) {
                    throw TemplateException.runtime(source, t.pos(), e.getMessage());
                }
                return r != t.negated();
            }
            case Expr.Unary u -> {
                Object v = eval(u.operand(), scope);
                return switch (u.op()) {
                    case "not" -> !Values.truthy(v);
                    case "-" -> Values.negate(v);
                    default -> Values.plus(v);
                };
            }
            case Expr.Binary b -> {
                return binary(b, scope);
            }
            case Expr.Compare c -> {
                Object left = eval(c.first(), scope);
                for (int i = 0; i < c.ops().size(); i++) {
                    Object right = eval(c.operands().get(i), scope);
                    if (!compare(c.ops().get(i), left, right)) {
                        return false;
                    }
                    left = right;
                }
                return true;
            }
            case Expr.Conditional c -> {
                if (Values.truthy(eval(c.cond(), scope))) {
                    return eval(c.then(), scope);
                }
                return c.otherwise() == null ? Undefined.INSTANCE : eval(c.otherwise(), scope);
            }
        }
    }

    private Object binary(Expr.Binary b, Scope scope) {
        Object left = eval(b.left(), scope);
        switch (b.op()) {
            case "and" -> {
                return Values.truthy(left) ? eval(b.right(), scope) : left;
            }
            case "or" -> {
                return Values.truthy(left) ? left : eval(b.right(), scope);
            }
            default -> { }
        }
        Object right = eval(b.right(), scope);
        try {
            return switch (b.op()) {
                case "+" -> Values.add(left, right);
                case "-" -> Values.sub(left, right);
                case "*" -> Values.mul(left, right);
                case "/" -> Values.truediv(left, right);
                case "//" -> Values.floordiv(left, right);
                case "%" -> Values.mod(left, right);
                case "**" -> Values.pow(left, right);
                case "~" -> Values.str(left).concat(Values.str(right));
                default -> throw new EvalError("unknown operator " + b.op());
            };
        } catch (EvalError e) {
            throw TemplateException.runtime(source, b.pos(), e.getMessage());
        }
    }

    private static boolean compare(String op, Object left, Object right) {
        return switch (op) {
            case "==" -> Values.eq(left, right);
            case "!=" -> !Values.eq(left, right);
            case "<" -> Values.compare(left, right, op) < 0;
            case "<=" -> Values.compare(left, right, op) <= 0;
            case ">" -> Values.compare(left, right, op) > 0;
            case ">=" -> Values.compare(left, right, op) >= 0;
            case "in" -> Values.contains(right, left);
            case "not in" -> !Values.contains(right, left);
            default -> throw new EvalError("unknown comparison " + op);
        };
    }

    private void evalArgs(Expr.Args a, Scope scope, List<Object> args, Map<String, Object> kwargs) {
        for (Expr e : a.positional()) {
            args.add(eval(e, scope));
        }
        if (a.star() != null) {
            args.addAll(Values.iterate(eval(a.star(), scope)));
        }
        for (int i = 0; i < a.names().size(); i++) {
            kwargs.put(a.names().get(i), eval(a.named().get(i), scope));
        }
        if (a.starStar() != null) {
            Object m = eval(a.starStar(), scope);
            if (!(m instanceof Map<?, ?> map)) {
                throw new EvalError("argument after ** must be a mapping, not " + Values.typeName(m));
            }
            map.forEach((k, v) -> kwargs.put(String.valueOf(k), v));
        }
    }

    private Object call(Expr.Call c, Scope scope, Macro caller) {
        Object fn = eval(c.fn(), scope);
        List<Object> args = new ArrayList<>(c.args().positional().size());
        Map<String, Object> kwargs = new LinkedHashMap<>();
        evalArgs(c.args(), scope, args, kwargs);
        if (caller != null) {
            kwargs.put("caller", caller);
        }
        if (!(fn instanceof JinjaCallable callable)) {
            String what = fn instanceof Undefined u ? u.describe() + " and cannot be called"
                    : "'" + Values.typeName(fn) + "' object is not callable";
            throw TemplateException.runtime(source, c.pos(), what);
        }
        try {
            return callable.call(this, args, kwargs);
        } catch (EvalError e) {
            throw TemplateException.runtime(source, c.pos(), e.getMessage());
        } catch (RaisedSignal r) {
            int[] lc = TemplateException.lineColumn(source, c.pos());
            throw new TemplateException(TemplateException.Kind.RAISED, r.getMessage(), lc[0], lc[1]);
        }
    }

    private Object applyFilterNode(Expr.Filter f, Object input, Scope scope) {
        List<Object> args = new ArrayList<>(f.args().positional().size());
        Map<String, Object> kwargs = new LinkedHashMap<>();
        evalArgs(f.args(), scope, args, kwargs);
        try {
            return applyFilter(f.name(), input, args, kwargs);
        } catch (EvalError e) {
            throw TemplateException.runtime(source, f.pos(), e.getMessage());
        }
    }

    Object applyFilter(String name, Object input, List<Object> args, Map<String, Object> kwargs) {
        if (tracker != null) {
            track(input, name);
            if (name.equals("tojson")) {
                trackDeep(input);
            }
        }
        return Filters.apply(this, name, input, args, kwargs);
    }

    private void trackDeep(Object v) {
        tracker.used(v);
        if (v instanceof List<?> l) {
            for (Object o : l) {
                trackDeep(o);
            }
        } else if (v instanceof Map<?, ?> m) {
            for (Object o : m.values()) {
                trackDeep(o);
            }
        }
    }

    ZonedDateTime now() {
        return clock.get();
    }

    static int maxRange() {
        return MAX_RANGE;
    }

    // ---------------------------------------------------------------- macros

    /** Thrown by {@code raise_exception} through callables; turned into a positioned {@link TemplateException}. */
    static final class RaisedSignal extends RuntimeException {

        private static final long serialVersionUID = 1L;
        RaisedSignal(String message) {
            super(message, null, false, false);
        }
    }

    /** A {@code {% macro %}} (or the body of a call block, as {@code caller}) bound to its defining scope. */
    final class Macro implements JinjaCallable {
        private final String name;
        private final List<Node.Param> params;
        private final List<Node> body;
        private final Scope closure;

        Macro(String name, List<Node.Param> params, List<Node> body, Scope closure) {
            this.name = name;
            this.params = params;
            this.body = body;
            this.closure = closure;
        }

        @Override
        public Object call(Renderer renderer, List<Object> args, Map<String, Object> kwargs) {
            if (++callDepth > MAX_CALL_DEPTH) {
                callDepth = 0;
                throw new EvalError("macro '" + name + "' recursed more than " + MAX_CALL_DEPTH + " levels");
            }
            try {
                Scope scope = new Scope(closure);
                Map<String, Object> rest = new LinkedHashMap<>(kwargs);
                for (int i = 0; i < params.size(); i++) {
                    Node.Param p = params.get(i);
                    Object v;
                    if (i < args.size()) {
                        v = args.get(i);
                    } else if (rest.containsKey(p.name())) {
                        v = rest.remove(p.name());
                    } else if (p.defaultValue() != null) {
                        v = eval(p.defaultValue(), scope);
                    } else {
                        v = Undefined.named(p.name());
                    }
                    scope.set(p.name(), v);
                }
                Object caller = rest.remove("caller");
                if (caller != null) {
                    scope.set("caller", caller);
                }
                scope.set("varargs", args.size() > params.size()
                        ? new ArrayList<>(args.subList(params.size(), args.size())) : new ArrayList<>());
                scope.set("kwargs", rest);
                StringBuilder out = new StringBuilder();
                Flow flow = exec(body, scope, out);
                if (flow != Flow.NORMAL) {
                    throw new EvalError("'break' or 'continue' outside of a loop in macro '" + name + "'");
                }
                return out.toString();
            } finally {
                callDepth = Math.max(0, callDepth - 1);
            }
        }
    }
}
