package io.llamabox.chat.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The Python methods of str, list and dict that templates call, e.g. {@code content.split('</think>')}. */
final class Methods {

    private Methods() {
    }

    private static final Set<String> STRING_METHODS = Set.of(
            "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "startswith", "endswith", "replace",
            "upper", "lower", "title", "capitalize", "swapcase", "casefold", "find", "rfind", "index", "rindex",
            "count", "join", "format", "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower",
            "isnumeric", "isdecimal", "istitle", "zfill", "center", "ljust", "rjust", "partition", "rpartition",
            "removeprefix", "removesuffix", "expandtabs");
    private static final Set<String> LIST_METHODS = Set.of(
            "append", "extend", "insert", "pop", "remove", "index", "count", "reverse", "sort", "copy", "clear");
    private static final Set<String> LIST_MUTATORS = Set.of(
            "append", "extend", "insert", "pop", "remove", "reverse", "sort", "clear");
    private static final Set<String> DICT_METHODS = Set.of(
            "get", "items", "keys", "values", "pop", "update", "setdefault", "copy", "clear");

    static boolean isStringMethod(String name) {
        return STRING_METHODS.contains(name);
    }

    static boolean isListMethod(String name) {
        return LIST_METHODS.contains(name);
    }

    static boolean mutatesList(String name) {
        return LIST_MUTATORS.contains(name);
    }

    static boolean isDictMethod(String name) {
        return DICT_METHODS.contains(name);
    }

    /** A method bound to its receiver, as {@code obj.method} evaluates to. */
    record Bound(Object receiver, String name) implements JinjaCallable {
        @Override
        public Object call(Renderer renderer, List<Object> args, Map<String, Object> kwargs) {
            if (receiver instanceof String s) {
                return stringMethod(s, name, args, kwargs);
            }
            if (receiver instanceof Map<?, ?> m) {
                return dictMethod(m, name, args, kwargs);
            }
            return listMethod((List<?>) receiver, name, args);
        }
    }

    private static Object arg(List<Object> args, int i, Object dflt) {
        return i < args.size() ? args.get(i) : dflt;
    }

    private static String strArg(List<Object> args, int i, String method) {
        Object v = arg(args, i, null);
        if (v instanceof String s) {
            return s;
        }
        throw new EvalError(method + "() argument must be str, not " + Values.typeName(v));
    }

    private static Object noneIfUndefined(Object v) {
        return v instanceof Undefined ? null : v;
    }

    // ---------------------------------------------------------------- str

    static Object stringMethod(String s, String name, List<Object> args, Map<String, Object> kwargs) {
        switch (name) {
            case "strip", "lstrip", "rstrip" -> {
                Object chars = noneIfUndefined(arg(args, 0, kwargs.get("chars")));
                return strip(s, chars == null ? null : (String) chars, !name.equals("rstrip"), !name.equals("lstrip"));
            }
            case "split", "rsplit" -> {
                Object sep = noneIfUndefined(arg(args, 0, kwargs.get("sep")));
                long max = Values.asLong(arg(args, 1, kwargs.getOrDefault("maxsplit", -1L)));
                return name.equals("split") ? split(s, (String) sep, max) : rsplit(s, (String) sep, max);
            }
            case "splitlines" -> {
                return new ArrayList<Object>(splitLines(s, Values.truthy(arg(args, 0, kwargs.get("keepends")))));
            }
            case "startswith", "endswith" -> {
                Object p = arg(args, 0, null);
                String target = s;
                if (args.size() > 1) {
                    target = (String) Values.slice(s, args.get(1), arg(args, 2, null), null);
                }
                if (p instanceof List<?> options) {
                    for (Object o : options) {
                        if (matchesEdge(target, (String) o, name)) {
                            return true;
                        }
                    }
                    return false;
                }
                return matchesEdge(target, strArg(args, 0, name), name);
            }
            case "replace" -> {
                String old = strArg(args, 0, name);
                String repl = strArg(args, 1, name);
                long count = Values.asLong(arg(args, 2, kwargs.getOrDefault("count", -1L)));
                return replace(s, old, repl, count);
            }
            case "upper" -> {
                return s.toUpperCase(Locale.ROOT);
            }
            case "lower" -> {
                return s.toLowerCase(Locale.ROOT);
            }
            case "casefold" -> {
                return s.toLowerCase(Locale.ROOT);
            }
            case "swapcase" -> {
                StringBuilder sb = new StringBuilder();
                s.codePoints().forEach(cp -> sb.appendCodePoint(Character.isUpperCase(cp) ? Character.toLowerCase(cp)
                        : Character.toUpperCase(cp)));
                return sb.toString();
            }
            case "title" -> {
                return pyTitle(s);
            }
            case "capitalize" -> {
                return capitalize(s);
            }
            case "find", "rfind", "index", "rindex" -> {
                String sub = strArg(args, 0, name);
                int from = args.size() > 1 ? (int) Values.asLong(args.get(1)) : 0;
                int r = name.startsWith("r") ? s.lastIndexOf(sub) : s.indexOf(sub, Math.max(0, from));
                if (r < 0 && name.endsWith("index")) {
                    throw new EvalError("substring not found");
                }
                return (long) (r < 0 ? -1 : s.codePointCount(0, r));
            }
            case "count" -> {
                String sub = strArg(args, 0, name);
                if (sub.isEmpty()) {
                    return (long) Values.strLength(s) + 1;
                }
                long c = 0;
                for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
                    c++;
                }
                return c;
            }
            case "join" -> {
                StringBuilder sb = new StringBuilder();
                boolean first = true;
                for (Object o : Values.iterate(arg(args, 0, null))) {
                    if (!first) {
                        sb.append(s);
                    }
                    first = false;
                    if (!(o instanceof String str)) {
                        throw new EvalError("sequence item: expected str instance, " + Values.typeName(o) + " found");
                    }
                    sb.append(str);
                }
                return sb.toString();
            }
            case "format" -> {
                return PyFormat.format(s, args, kwargs);
            }
            case "isdigit", "isdecimal", "isnumeric" -> {
                return !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
            }
            case "isalpha" -> {
                return !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
            }
            case "isalnum" -> {
                return !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit);
            }
            case "isspace" -> {
                return !s.isEmpty() && s.codePoints().allMatch(Methods::isPyWhitespace);
            }
            case "isupper" -> {
                return s.codePoints().anyMatch(Character::isLetter) && s.equals(s.toUpperCase(Locale.ROOT));
            }
            case "islower" -> {
                return s.codePoints().anyMatch(Character::isLetter) && s.equals(s.toLowerCase(Locale.ROOT));
            }
            case "istitle" -> {
                return !s.isEmpty() && s.equals(pyTitle(s)) && s.codePoints().anyMatch(Character::isLetter);
            }
            case "zfill" -> {
                int width = (int) Values.asLong(arg(args, 0, 0L));
                if (s.length() >= width) {
                    return s;
                }
                int sign = !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
                return s.substring(0, sign) + "0".repeat(width - s.length()) + s.substring(sign);
            }
            case "center", "ljust", "rjust" -> {
                int width = (int) Values.asLong(arg(args, 0, 0L));
                String fill = args.size() > 1 ? strArg(args, 1, name) : " ";
                int pad = width - Values.strLength(s);
                if (pad <= 0) {
                    return s;
                }
                return switch (name) {
                    case "ljust" -> s + fill.repeat(pad);
                    case "rjust" -> fill.repeat(pad) + s;
                    default -> {
                        int left = pad / 2 + (pad & width & 1);
                        yield fill.repeat(left) + s + fill.repeat(pad - left);
                    }
                };
            }
            case "partition", "rpartition" -> {
                String sep = strArg(args, 0, name);
                int i = name.equals("partition") ? s.indexOf(sep) : s.lastIndexOf(sep);
                if (i < 0) {
                    return name.equals("partition") ? Tuple.of(s, "", "") : Tuple.of("", "", s);
                }
                return Tuple.of(s.substring(0, i), sep, s.substring(i + sep.length()));
            }
            case "removeprefix" -> {
                String p = strArg(args, 0, name);
                return s.startsWith(p) ? s.substring(p.length()) : s;
            }
            case "removesuffix" -> {
                String p = strArg(args, 0, name);
                return !p.isEmpty() && s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s;
            }
            case "expandtabs" -> {
                return s.replace("\t", " ".repeat((int) Values.asLong(arg(args, 0, 8L))));
            }
            default -> throw new EvalError("'str' object has no attribute '" + name + "'");
        }
    }

    private static boolean matchesEdge(String s, String p, String name) {
        return name.equals("startswith") ? s.startsWith(p) : s.endsWith(p);
    }

    static boolean isPyWhitespace(int c) {
        return c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f) || c == 0x85 || c == 0xa0
                || Character.isSpaceChar(c);
    }

    static String strip(String s, String chars, boolean left, boolean right) {
        int start = 0;
        int end = s.length();
        if (chars == null) {
            while (left && start < end && isPyWhitespace(s.charAt(start))) {
                start++;
            }
            while (right && end > start && isPyWhitespace(s.charAt(end - 1))) {
                end--;
            }
        } else {
            while (left && start < end && chars.indexOf(s.charAt(start)) >= 0) {
                start++;
            }
            while (right && end > start && chars.indexOf(s.charAt(end - 1)) >= 0) {
                end--;
            }
        }
        return s.substring(start, end);
    }

    static List<Object> split(String s, String sep, long max) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && isPyWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    break;
                }
                if (max >= 0 && out.size() == max) {
                    out.add(strip(s.substring(i), null, false, true));
                    break;
                }
                int j = i;
                while (j < n && !isPyWhitespace(s.charAt(j))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
            return out;
        }
        if (sep.isEmpty()) {
            throw new EvalError("empty separator");
        }
        int from = 0;
        while (max < 0 || out.size() < max) {
            int i = s.indexOf(sep, from);
            if (i < 0) {
                break;
            }
            out.add(s.substring(from, i));
            from = i + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    static List<Object> rsplit(String s, String sep, long max) {
        if (max < 0) {
            return split(s, sep, max);
        }
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            int j = s.length();
            while (true) {
                while (j > 0 && isPyWhitespace(s.charAt(j - 1))) {
                    j--;
                }
                if (j <= 0) {
                    break;
                }
                if (out.size() == max) {
                    out.addFirst(strip(s.substring(0, j), null, true, false));
                    break;
                }
                int i = j;
                while (i > 0 && !isPyWhitespace(s.charAt(i - 1))) {
                    i--;
                }
                out.addFirst(s.substring(i, j));
                j = i;
            }
            return out;
        }
        int end = s.length();
        while (out.size() < max) {
            int i = s.lastIndexOf(sep, end - sep.length());
            if (i < 0) {
                break;
            }
            out.addFirst(s.substring(i + sep.length(), end));
            end = i;
        }
        out.addFirst(s.substring(0, end));
        return out;
    }

    static List<String> splitLines(String s, boolean keepEnds) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            int brk = 0;
            if (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') {
                brk = 2;
            } else if (c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || (c >= 0x1c && c <= 0x1e) || c == 0x85
                    || c == 0x2028 || c == 0x2029) {
                brk = 1;
            }
            if (brk > 0) {
                out.add(s.substring(start, keepEnds ? i + brk : i));
                i += brk;
                start = i;
            } else {
                i++;
            }
        }
        if (start < n) {
            out.add(s.substring(start));
        }
        return out;
    }

    static String replace(String s, String old, String repl, long count) {
        if (count < 0) {
            return s.replace(old, repl);
        }
        StringBuilder sb = new StringBuilder();
        int from = 0;
        long done = 0;
        if (old.isEmpty()) {
            int[] cps = s.codePoints().toArray();
            for (int k = 0; k < cps.length; k++) {
                if (done < count) {
                    sb.append(repl);
                    done++;
                }
                sb.appendCodePoint(cps[k]);
            }
            if (done < count) {
                sb.append(repl);
            }
            return sb.toString();
        }
        while (done < count) {
            int i = s.indexOf(old, from);
            if (i < 0) {
                break;
            }
            sb.append(s, from, i).append(repl);
            from = i + old.length();
            done++;
        }
        return sb.append(s.substring(from)).toString();
    }

    /** Python's str.title(): upper-cases a letter after a non-letter, lower-cases the rest. */
    static String pyTitle(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean prevCased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetter(cp)) {
                sb.appendCodePoint(prevCased ? Character.toLowerCase(cp) : Character.toTitleCase(cp));
                prevCased = true;
            } else {
                sb.appendCodePoint(cp);
                prevCased = false;
            }
        }
        return sb.toString();
    }

    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int cp = s.codePointAt(0);
        int len = Character.charCount(cp);
        return new String(Character.toChars(Character.toUpperCase(cp))) + s.substring(len).toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- list

    @SuppressWarnings("unchecked")
    static Object listMethod(List<?> list, String name, List<Object> args) {
        List<Object> l = (List<Object>) list;
        switch (name) {
            case "append" -> {
                l.add(arg(args, 0, null));
                return null;
            }
            case "extend" -> {
                l.addAll(Values.iterate(arg(args, 0, null)));
                return null;
            }
            case "insert" -> {
                int i = (int) Values.asLong(arg(args, 0, 0L));
                int n = l.size();
                i = i < 0 ? Math.max(0, i + n) : Math.min(i, n);
                l.add(i, arg(args, 1, null));
                return null;
            }
            case "pop" -> {
                if (l.isEmpty()) {
                    throw new EvalError("pop from empty list");
                }
                long i = args.isEmpty() ? -1 : Values.asLong(args.getFirst());
                if (i < 0) {
                    i += l.size();
                }
                if (i < 0 || i >= l.size()) {
                    throw new EvalError("pop index out of range");
                }
                return l.remove((int) i);
            }
            case "remove" -> {
                Object x = arg(args, 0, null);
                for (int i = 0; i < l.size(); i++) {
                    if (Values.eq(l.get(i), x)) {
                        l.remove(i);
                        return null;
                    }
                }
                throw new EvalError("list.remove(x): x not in list");
            }
            case "index" -> {
                Object x = arg(args, 0, null);
                for (int i = 0; i < l.size(); i++) {
                    if (Values.eq(l.get(i), x)) {
                        return (long) i;
                    }
                }
                throw new EvalError(Values.repr(x) + " is not in list");
            }
            case "count" -> {
                Object x = arg(args, 0, null);
                long c = 0;
                for (Object o : l) {
                    if (Values.eq(o, x)) {
                        c++;
                    }
                }
                return c;
            }
            case "reverse" -> {
                java.util.Collections.reverse(l);
                return null;
            }
            case "sort" -> {
                l.sort((a, b) -> Values.compare(a, b, "<"));
                return null;
            }
            case "copy" -> {
                return new ArrayList<>(l);
            }
            case "clear" -> {
                l.clear();
                return null;
            }
            default -> throw new EvalError("'list' object has no attribute '" + name + "'");
        }
    }

    // ---------------------------------------------------------------- dict

    @SuppressWarnings("unchecked")
    static Object dictMethod(Map<?, ?> map, String name, List<Object> args, Map<String, Object> kwargs) {
        Map<Object, Object> m = (Map<Object, Object>) map;
        switch (name) {
            case "get" -> {
                Object k = Values.mapKey(arg(args, 0, null));
                Object v = m.get(k);
                return v != null || m.containsKey(k) ? v : arg(args, 1, kwargs.get("default"));
            }
            case "items" -> {
                List<Object> out = new ArrayList<>(m.size());
                for (Map.Entry<Object, Object> e : m.entrySet()) {
                    out.add(Tuple.of(e.getKey(), e.getValue()));
                }
                return out;
            }
            case "keys" -> {
                return new ArrayList<>(m.keySet());
            }
            case "values" -> {
                return new ArrayList<>(m.values());
            }
            case "pop" -> {
                Object k = Values.mapKey(arg(args, 0, null));
                if (m.containsKey(k)) {
                    return m.remove(k);
                }
                if (args.size() > 1) {
                    return args.get(1);
                }
                throw new EvalError("KeyError: " + Values.repr(k));
            }
            case "update" -> {
                if (!args.isEmpty()) {
                    Object other = args.getFirst();
                    if (other instanceof Map<?, ?> om) {
                        m.putAll(om);
                    } else {
                        for (Object pair : Values.iterate(other)) {
                            List<?> kv = (List<?>) pair;
                            m.put(Values.mapKey(kv.get(0)), kv.get(1));
                        }
                    }
                }
                m.putAll(kwargs);
                return null;
            }
            case "setdefault" -> {
                Object k = Values.mapKey(arg(args, 0, null));
                if (!m.containsKey(k)) {
                    m.put(k, arg(args, 1, null));
                }
                return m.get(k);
            }
            case "copy" -> {
                return new LinkedHashMap<>(m);
            }
            case "clear" -> {
                m.clear();
                return null;
            }
            default -> throw new EvalError("'dict' object has no attribute '" + name + "'");
        }
    }
}
