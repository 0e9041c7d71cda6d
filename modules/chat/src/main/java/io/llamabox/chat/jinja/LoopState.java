package io.llamabox.chat.jinja;

import java.util.List;
import java.util.Map;

/** The {@code loop} variable of a for loop. */
final class LoopState implements JinjaCallable {

    private final List<?> items;
    private final int depth;
    /** Renders the loop body again for {@code loop(children)} in a {@code recursive} loop; null otherwise. */
    private final JinjaCallable recurse;
    int index0;
    private Object lastChanged = NO_VALUE;
    private static final Object NO_VALUE = new Object();

    LoopState(List<?> items, int depth, JinjaCallable recurse) {
        this.items = items;
        this.depth = depth;
        this.recurse = recurse;
    }

    int length() {
        return items.size();
    }

    Object attribute(String name) {
        int n = items.size();
        return switch (name) {
            case "index" -> (long) index0 + 1;
            case "index0" -> (long) index0;
            case "revindex" -> (long) (n - index0);
            case "revindex0" -> (long) (n - index0 - 1);
            case "first" -> index0 == 0;
            case "last" -> index0 == n - 1;
            case "length" -> (long) n;
            case "depth" -> (long) depth;
            case "depth0" -> (long) depth - 1;
            case "previtem" -> index0 > 0 ? items.get(index0 - 1) : Undefined.named("previtem");
            case "nextitem" -> index0 + 1 < n ? items.get(index0 + 1) : Undefined.named("nextitem");
            case "cycle" -> (JinjaCallable) this::cycle;
            case "changed" -> (JinjaCallable) this::changed;
            default -> Undefined.named("loop." + name);
        };
    }

    private Object cycle(Renderer r, List<Object> args, Map<String, Object> kwargs) {
        if (args.isEmpty()) {
            throw new EvalError("no items for cycling given");
        }
        return args.get(index0 % args.size());
    }

    private Object changed(Renderer r, List<Object> args, Map<String, Object> kwargs) {
        Object value = args.size() == 1 ? args.getFirst() : Tuple.copyOf(args);
        boolean changed = lastChanged == NO_VALUE || !Values.eq(lastChanged, value);
        lastChanged = value;
        return changed;
    }

    /** {@code loop(iterable)} inside a {@code recursive} loop renders the body for the children. */
    @Override
    public Object call(Renderer renderer, List<Object> args, Map<String, Object> kwargs) {
        if (recurse == null) {
            throw new EvalError("the loop is not recursive; add 'recursive' to the for statement to call loop()");
        }
        return recurse.call(renderer, args, kwargs);
    }
}
