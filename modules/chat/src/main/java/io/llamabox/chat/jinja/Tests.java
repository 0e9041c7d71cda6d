package io.llamabox.chat.jinja;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The tests of {@code value is name(args)}. */
final class Tests {

    private Tests() {
    }

    private static final Set<String> NAMES = Set.of(
            "defined", "undefined", "none", "boolean", "true", "false", "integer", "float", "number", "string",
            "mapping", "iterable", "sequence", "callable", "odd", "even", "divisibleby", "eq", "equalto", "==",
            "ne", "!=", "lt", "lessthan", "<", "le", "<=", "gt", "greaterthan", ">", "ge", ">=", "in", "sameas",
            "lower", "upper", "escaped", "filter", "test");

    static boolean exists(String name) {
        return NAMES.contains(name);
    }

    static boolean apply(String name, Object v, List<Object> args, Map<String, Object> kwargs) {
        return switch (name) {
            case "defined" -> !(v instanceof Undefined);
            case "undefined" -> v instanceof Undefined;
            case "none" -> v == null;
            case "boolean" -> v instanceof Boolean;
            case "true" -> Boolean.TRUE.equals(v);
            case "false" -> Boolean.FALSE.equals(v);
            case "integer" -> v instanceof Long;
            case "float" -> v instanceof Double;
            case "number" -> Values.isNumber(v);
            case "string" -> v instanceof String;
            case "mapping" -> v instanceof Map<?, ?>;
            case "iterable" -> v instanceof List<?> || v instanceof Map<?, ?> || v instanceof String
                    || v instanceof Undefined;
            case "sequence" -> v instanceof List<?> || v instanceof Map<?, ?> || v instanceof String;
            case "callable" -> v instanceof JinjaCallable;
            case "odd" -> Values.asLong(v) % 2 != 0;
            case "even" -> Values.asLong(v) % 2 == 0;
            case "divisibleby" -> {
                long d = Values.asLong(arg(args, kwargs, "num"));
                yield d != 0 && Values.asLong(v) % d == 0;
            }
            case "eq", "equalto", "==" -> Values.eq(v, arg(args, kwargs, "other"));
            case "ne", "!=" -> !Values.eq(v, arg(args, kwargs, "other"));
            case "lt", "lessthan", "<" -> Values.compare(v, arg(args, kwargs, "other"), "<") < 0;
            case "le", "<=" -> Values.compare(v, arg(args, kwargs, "other"), "<=") <= 0;
            case "gt", "greaterthan", ">" -> Values.compare(v, arg(args, kwargs, "other"), ">") > 0;
            case "ge", ">=" -> Values.compare(v, arg(args, kwargs, "other"), ">=") >= 0;
            case "in" -> Values.contains(arg(args, kwargs, "seq"), v);
            case "sameas" -> v == arg(args, kwargs, "other")
                    || (v != null && Values.isNumber(v) && Values.eq(v, arg(args, kwargs, "other"))
                        && v.getClass() == arg(args, kwargs, "other").getClass());
            case "lower" -> v instanceof String s && s.equals(s.toLowerCase(java.util.Locale.ROOT));
            case "upper" -> v instanceof String s && s.equals(s.toUpperCase(java.util.Locale.ROOT));
            case "escaped" -> false;
            case "filter" -> v instanceof String s && Filters.exists(s);
            case "test" -> v instanceof String s && exists(s);
            default -> throw new EvalError("no test named '" + name + "'");
        };
    }

    private static Object arg(List<Object> args, Map<String, Object> kwargs, String name) {
        if (!args.isEmpty()) {
            return args.getFirst();
        }
        if (kwargs.containsKey(name)) {
            return kwargs.get(name);
        }
        throw new EvalError("test is missing its argument '" + name + "'");
    }
}
