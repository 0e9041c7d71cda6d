package io.llamabox.chat.jinja;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The value model and its Python semantics. Template values are plain Java objects: {@code null} (none),
 * {@link Boolean}, {@link Long}, {@link Double}, {@link String}, {@link List} (mutable lists),
 * {@link Tuple}, {@link Map} (insertion-ordered, mutable), {@link Namespace}, {@link Undefined},
 * {@link LoopState} and {@link JinjaCallable}.
 */
final class Values {

    private Values() {
    }

    // ---------------------------------------------------------------- classification

    static boolean isUndefined(Object v) {
        return v instanceof Undefined;
    }

    static boolean isInteger(Object v) {
        return v instanceof Long || v instanceof Boolean;
    }

    static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean;
    }

    static boolean isSequence(Object v) {
        return v instanceof List<?>;
    }

    static long asLong(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof Double d) {
            return d.longValue();
        }
        throw new EvalError("expected an integer, got " + typeName(v));
    }

    static double asDouble(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw new EvalError("expected a number, got " + typeName(v));
    }

    static int asIndex(Object v, String what) {
        if (!isInteger(v)) {
            throw new EvalError(what + " must be an integer, got " + typeName(v));
        }
        long l = asLong(v);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, l));
    }

    /** Python's type name, for error messages. */
    static String typeName(Object v) {
        if (v == null) {
            return "NoneType";
        }
        if (v instanceof Undefined) {
            return "undefined";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof Long) {
            return "int";
        }
        if (v instanceof Double) {
            return "float";
        }
        if (v instanceof String) {
            return "str";
        }
        if (v instanceof Tuple) {
            return "tuple";
        }
        if (v instanceof List<?>) {
            return "list";
        }
        if (v instanceof Map<?, ?>) {
            return "dict";
        }
        if (v instanceof Namespace) {
            return "Namespace";
        }
        if (v instanceof LoopState) {
            return "LoopContext";
        }
        if (v instanceof JinjaCallable) {
            return "function";
        }
        return v.getClass().getSimpleName();
    }

    static boolean truthy(Object v) {
        if (v == null || v instanceof Undefined) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Long l) {
            return l != 0;
        }
        if (v instanceof Double d) {
            return d != 0.0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    // ---------------------------------------------------------------- text

    /** The text a value prints as: Python's str(), except that none prints as nothing (as the peer does). */
    static String str(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v == null || v instanceof Undefined) {
            return "";
        }
        return repr(v);
    }

    /** Python's repr(), used for values inside printed containers. */
    static String repr(Object v) {
        StringBuilder sb = new StringBuilder();
        repr(v, sb);
        return sb.toString();
    }

    static void repr(Object v, StringBuilder sb) {
        if (v == null) {
            sb.append("None");
        } else if (v instanceof Undefined) {
            sb.append("");
        } else if (v instanceof Boolean b) {
            sb.append(b ? "True" : "False");
        } else if (v instanceof Long l) {
            sb.append(l.longValue());
        } else if (v instanceof Double d) {
            sb.append(PyFormat.floatRepr(d));
        } else if (v instanceof String s) {
            quote(s, sb);
        } else if (v instanceof Tuple t) {
            sb.append('(');
            for (int i = 0; i < t.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                repr(t.get(i), sb);
            }
            if (t.size() == 1) {
                sb.append(',');
            }
            sb.append(')');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                repr(l.get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                repr(e.getKey(), sb);
                sb.append(": ");
                repr(e.getValue(), sb);
            }
            sb.append('}');
        } else if (v instanceof Namespace ns) {
            sb.append("<Namespace ");
            repr(ns.attributes, sb);
            sb.append('>');
        } else if (v instanceof LoopState) {
            sb.append("<LoopContext>");
        } else if (v instanceof JinjaCallable) {
            sb.append("<function>");
        } else {
            sb.append(v);
        }
    }

    /** Like Python's repr() of a str, but (as the peer) without escaping: quotes chosen the Python way. */
    private static void quote(String s, StringBuilder sb) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        sb.append(q).append(s).append(q);
    }

    // ---------------------------------------------------------------- strings as code points

    static boolean isBmpOnly(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static int strLength(String s) {
        return isBmpOnly(s) ? s.length() : s.codePointCount(0, s.length());
    }

    /** Code point {@code index} (Python index semantics) or null when out of range. */
    static String charAt(String s, long index) {
        if (isBmpOnly(s)) {
            long i = index < 0 ? index + s.length() : index;
            return i < 0 || i >= s.length() ? null : String.valueOf(s.charAt((int) i));
        }
        int[] cps = s.codePoints().toArray();
        long i = index < 0 ? index + cps.length : index;
        return i < 0 || i >= cps.length ? null : new String(cps, (int) i, 1);
    }

    static List<Object> chars(String s) {
        List<Object> out = new ArrayList<>(s.length());
        s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
        return out;
    }

    // ---------------------------------------------------------------- iteration and size

    /** Python's iteration: lists and tuples by item, mappings by key, strings by character; undefined is empty. */
    static List<?> iterate(Object v) {
        if (v instanceof List<?> l) {
            return l;
        }
        if (v instanceof Map<?, ?> m) {
            return new ArrayList<>(m.keySet());
        }
        if (v instanceof String s) {
            return chars(s);
        }
        if (v instanceof Undefined) {
            return List.of();
        }
        if (v instanceof Namespace ns) {
            return new ArrayList<>(ns.attributes.keySet());
        }
        throw new EvalError("'" + typeName(v) + "' object is not iterable");
    }

    static long length(Object v) {
        if (v instanceof String s) {
            return strLength(s);
        }
        if (v instanceof Collection<?> c) {
            return c.size();
        }
        if (v instanceof Map<?, ?> m) {
            return m.size();
        }
        if (v instanceof Undefined) {
            return 0;
        }
        throw new EvalError("object of type '" + typeName(v) + "' has no len()");
    }

    // ---------------------------------------------------------------- equality and ordering

    static boolean eq(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Undefined || b instanceof Undefined) {
            return a instanceof Undefined && b instanceof Undefined;
        }
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                return asDouble(a) == asDouble(b);
            }
            return asLong(a) == asLong(b);
        }
        if (a instanceof String sa) {
            return b instanceof String sb && sa.equals(sb);
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if ((a instanceof Tuple) != (b instanceof Tuple) || la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!eq(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (ma.size() != mb.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                Object key = e.getKey();
                if (!mb.containsKey(key) || !eq(e.getValue(), mb.get(key))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** Python ordering; numbers with numbers, strings with strings, sequences element-wise. */
    static int compare(Object a, Object b, String op) {
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                return Double.compare(asDouble(a), asDouble(b)) == 0 ? 0 : (asDouble(a) < asDouble(b) ? -1 : 1);
            }
            return Long.compare(asLong(a), asLong(b));
        }
        if (a instanceof String sa && b instanceof String sb) {
            return compareStrings(sa, sb);
        }
        if (a instanceof List<?> la && b instanceof List<?> lb && (a instanceof Tuple) == (b instanceof Tuple)) {
            int n = Math.min(la.size(), lb.size());
            for (int i = 0; i < n; i++) {
                if (!eq(la.get(i), lb.get(i))) {
                    return compare(la.get(i), lb.get(i), op);
                }
            }
            return Integer.compare(la.size(), lb.size());
        }
        if (a instanceof Undefined u) {
            throw new EvalError(u.describe());
        }
        if (b instanceof Undefined u) {
            throw new EvalError(u.describe());
        }
        throw new EvalError("'" + op + "' not supported between instances of '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    static int compareStrings(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    static boolean contains(Object container, Object item) {
        if (container instanceof String s) {
            if (!(item instanceof String sub)) {
                throw new EvalError("'in <string>' requires string as left operand, not " + typeName(item));
            }
            return s.contains(sub);
        }
        if (container instanceof List<?> l) {
            for (Object o : l) {
                if (eq(o, item)) {
                    return true;
                }
            }
            return false;
        }
        if (container instanceof Map<?, ?> m) {
            return m.containsKey(mapKey(item));
        }
        if (container instanceof Namespace ns) {
            return item instanceof String k && ns.attributes.containsKey(k);
        }
        if (container instanceof Undefined) {
            return false;
        }
        throw new EvalError("argument of type '" + typeName(container) + "' is not iterable");
    }

    /** Keys of template-made dicts: integral floats and booleans find the same entry as ints, like Python. */
    static Object mapKey(Object key) {
        if (key instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return (long) d.doubleValue();
        }
        if (key instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        return key;
    }

    // ---------------------------------------------------------------- attribute and item access

    static Object getAttr(Object obj, String name) {
        if (obj instanceof Map<?, ?> m) {
            if (Methods.isDictMethod(name)) {
                return new Methods.Bound(obj, name);
            }
            Object v = m.get(name);
            return v != null || m.containsKey(name) ? v : Undefined.named(name);
        }
        if (obj instanceof String) {
            return Methods.isStringMethod(name) ? new Methods.Bound(obj, name) : Undefined.named(name);
        }
        if (obj instanceof List<?>) {
            return Methods.isListMethod(name) && !(obj instanceof Tuple && Methods.mutatesList(name))
                    ? new Methods.Bound(obj, name) : Undefined.named(name);
        }
        if (obj instanceof Namespace ns) {
            Object v = ns.attributes.get(name);
            return v != null || ns.attributes.containsKey(name) ? v : Undefined.named(name);
        }
        if (obj instanceof LoopState loop) {
            return loop.attribute(name);
        }
        return Undefined.named(name);
    }

    static Object getItem(Object obj, Object key) {
        if (obj instanceof Map<?, ?> m) {
            Object k = mapKey(key);
            Object v = m.get(k);
            if (v != null || m.containsKey(k)) {
                return v;
            }
            return key instanceof String s && Methods.isDictMethod(s) ? new Methods.Bound(obj, s)
                    : Undefined.named(String.valueOf(key));
        }
        if (obj instanceof List<?> l) {
            if (isInteger(key)) {
                long i = asLong(key);
                if (i < 0) {
                    i += l.size();
                }
                return i < 0 || i >= l.size() ? Undefined.named("index " + asLong(key)) : l.get((int) i);
            }
            return key instanceof String s ? getAttr(obj, s) : Undefined.named(String.valueOf(key));
        }
        if (obj instanceof String s) {
            if (isInteger(key)) {
                String c = charAt(s, asLong(key));
                return c == null ? Undefined.named("index " + asLong(key)) : c;
            }
            return key instanceof String k ? getAttr(obj, k) : Undefined.named(String.valueOf(key));
        }
        if (key instanceof String k && (obj instanceof Namespace || obj instanceof LoopState)) {
            return getAttr(obj, k);
        }
        return Undefined.named(String.valueOf(key));
    }

    /** Python slicing of strings, lists and tuples. */
    static Object slice(Object obj, Object start, Object stop, Object step) {
        if (obj instanceof Undefined || obj == null) {
            return Undefined.INSTANCE;
        }
        long st = step == null || step instanceof Undefined ? 1 : asLong(step);
        if (st == 0) {
            throw new EvalError("slice step cannot be zero");
        }
        List<?> items;
        String str = null;
        if (obj instanceof String s) {
            str = s;
            items = isBmpOnly(s) ? null : chars(s);
        } else if (obj instanceof List<?> l) {
            items = l;
        } else {
            throw new EvalError("'" + typeName(obj) + "' object is not subscriptable");
        }
        int len = items != null ? items.size() : str.length();
        long lo;
        long hi;
        if (st > 0) {
            lo = bound(start, 0, len, false);
            hi = bound(stop, len, len, false);
        } else {
            lo = bound(start, len - 1, len, true);
            hi = bound(stop, -1, len, true);
        }
        if (str != null && items == null) {
            if (st == 1) {
                return lo >= hi ? "" : str.substring((int) lo, (int) hi);
            }
            StringBuilder sb = new StringBuilder();
            for (long i = lo; st > 0 ? i < hi : i > hi; i += st) {
                sb.append(str.charAt((int) i));
            }
            return sb.toString();
        }
        List<Object> out = new ArrayList<>();
        for (long i = lo; st > 0 ? i < hi : i > hi; i += st) {
            out.add(items.get((int) i));
        }
        if (str != null) {
            StringBuilder sb = new StringBuilder();
            for (Object o : out) {
                sb.append((String) o);
            }
            return sb.toString();
        }
        return obj instanceof Tuple ? Tuple.copyOf(out) : out;
    }

    private static long bound(Object v, long dflt, int len, boolean negativeStep) {
        if (v == null || v instanceof Undefined) {
            return dflt;
        }
        long i = asLong(v);
        if (i < 0) {
            i += len;
            if (i < 0) {
                i = negativeStep ? -1 : 0;
            }
        } else if (i >= len) {
            i = negativeStep ? len - 1 : len;
        }
        return i;
    }

    // ---------------------------------------------------------------- arithmetic

    static Object add(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return x + y;
        }
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                return asDouble(a) + asDouble(b);
            }
            return asLong(a) + asLong(b);
        }
        if (a instanceof String || b instanceof String) {
            // like the peer: '+' with a string operand concatenates text; none and undefined count as empty
            return str(a).concat(str(b));
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            List<Object> out = new ArrayList<>(la.size() + lb.size());
            out.addAll(la);
            out.addAll(lb);
            return a instanceof Tuple && b instanceof Tuple ? Tuple.copyOf(out) : out;
        }
        throw unsupported("+", a, b);
    }

    static Object sub(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return x - y;
        }
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                return asDouble(a) - asDouble(b);
            }
            return asLong(a) - asLong(b);
        }
        throw unsupported("-", a, b);
    }

    static Object mul(Object a, Object b) {
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                return asDouble(a) * asDouble(b);
            }
            return asLong(a) * asLong(b);
        }
        if (a instanceof String s && isInteger(b)) {
            return repeat(s, asLong(b));
        }
        if (b instanceof String s && isInteger(a)) {
            return repeat(s, asLong(a));
        }
        if (a instanceof List<?> l && isInteger(b)) {
            return repeat(l, asLong(b));
        }
        if (b instanceof List<?> l && isInteger(a)) {
            return repeat(l, asLong(a));
        }
        throw unsupported("*", a, b);
    }

    /** Longest string or list a repetition may make; larger ones are template errors, not memory exhaustion. */
    private static final long MAX_REPEAT = 10_000_000;

    private static String repeat(String s, long n) {
        if (n > 0 && (long) s.length() * n > MAX_REPEAT) {
            throw new EvalError("string repetition too large");
        }
        return s.repeat((int) Math.max(0, n));
    }

    private static Object repeat(List<?> l, long n) {
        if (n > 0 && (long) l.size() * n > MAX_REPEAT) {
            throw new EvalError("list repetition too large");
        }
        List<Object> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.addAll(l);
        }
        return l instanceof Tuple ? Tuple.copyOf(out) : out;
    }

    /** True division; division by zero gives inf or nan, as in the peer, rather than Python's error. */
    static Object truediv(Object a, Object b) {
        if (isNumber(a) && isNumber(b)) {
            return asDouble(a) / asDouble(b);
        }
        throw unsupported("/", a, b);
    }

    static Object floordiv(Object a, Object b) {
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                double y = asDouble(b);
                if (y == 0) {
                    throw new EvalError("float floor division by zero");
                }
                return Math.floor(asDouble(a) / y);
            }
            long y = asLong(b);
            if (y == 0) {
                throw new EvalError("integer division or modulo by zero");
            }
            return Math.floorDiv(asLong(a), y);
        }
        throw unsupported("//", a, b);
    }

    static Object mod(Object a, Object b) {
        if (a instanceof String fmt) {
            return PyFormat.percent(fmt, b);
        }
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                double x = asDouble(a);
                double y = asDouble(b);
                if (y == 0) {
                    throw new EvalError("float modulo");
                }
                double r = x % y;
                if (r != 0 && (r < 0) != (y < 0)) {
                    r += y;
                }
                return r;
            }
            long y = asLong(b);
            if (y == 0) {
                throw new EvalError("integer division or modulo by zero");
            }
            return Math.floorMod(asLong(a), y);
        }
        throw unsupported("%", a, b);
    }

    static Object pow(Object a, Object b) {
        if (isNumber(a) && isNumber(b)) {
            if (isInteger(a) && isInteger(b) && asLong(b) >= 0) {
                long base = asLong(a);
                long exp = asLong(b);
                long result = 1;
                try {
                    for (long i = 0; i < exp; i++) {
                        result = Math.multiplyExact(result, base);
                    }
                    return result;
                } catch (ArithmeticException overflow) {
                    return Math.pow(base, exp);
                }
            }
            return Math.pow(asDouble(a), asDouble(b));
        }
        throw unsupported("**", a, b);
    }

    static Object negate(Object a) {
        if (a instanceof Long l) {
            return -l;
        }
        if (a instanceof Double d) {
            return -d;
        }
        if (a instanceof Boolean b) {
            return b ? -1L : 0L;
        }
        if (a instanceof Undefined u) {
            throw new EvalError(u.describe());
        }
        throw new EvalError("bad operand type for unary -: '" + typeName(a) + "'");
    }

    static Object plus(Object a) {
        if (isNumber(a)) {
            return a instanceof Boolean ? asLong(a) : a;
        }
        throw new EvalError("bad operand type for unary +: '" + typeName(a) + "'");
    }

    private static EvalError unsupported(String op, Object a, Object b) {
        if (a instanceof Undefined u) {
            return new EvalError(u.describe());
        }
        if (b instanceof Undefined u) {
            return new EvalError(u.describe());
        }
        return new EvalError("unsupported operand type(s) for " + op + ": '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

}
