package io.llamabox.chat.jinja;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Jinja2's built-in filters that chat templates use, plus Hugging Face's {@code tojson}. */
final class Filters {

    private Filters() {
    }

    private static final Set<String> NAMES = Set.of(
            "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape",
            "first", "float", "forceescape", "format", "groupby", "indent", "int", "items", "join", "last",
            "length", "list", "lower", "map", "max", "min", "pprint", "reject", "rejectattr", "replace",
            "reverse", "round", "safe", "select", "selectattr", "slice", "sort", "string", "striptags", "sum",
            "title", "tojson", "trim", "truncate", "unique", "upper", "wordcount");

    private static final Pattern WORD = Pattern.compile("\\w+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern TITLE_SPLIT = Pattern.compile("([-\\s({\\[<]+)");
    private static final Pattern TAGS = Pattern.compile("(<!--.*?-->|<[^>]*>)", Pattern.DOTALL);

    static boolean exists(String name) {
        return NAMES.contains(name);
    }

    /** Positional argument {@code index} or keyword {@code name}, else {@code dflt}. */
    private static Object param(List<Object> args, Map<String, Object> kwargs, int index, String name, Object dflt) {
        if (index < args.size()) {
            return args.get(index);
        }
        return kwargs.containsKey(name) ? kwargs.get(name) : dflt;
    }

    private static boolean flag(List<Object> args, Map<String, Object> kwargs, int index, String name) {
        return Values.truthy(param(args, kwargs, index, name, false));
    }

    /** Filters over items; like the peer they refuse a string instead of iterating its characters. */
    private static final Set<String> SEQUENCE_FILTERS = Set.of(
            "batch", "dictsort", "groupby", "items", "list", "map", "max", "min", "reject", "rejectattr", "select",
            "selectattr", "slice", "sort", "sum", "unique");

    static Object apply(Renderer r, String name, Object v, List<Object> args, Map<String, Object> kwargs) {
        if (v instanceof String && SEQUENCE_FILTERS.contains(name)) {
            throw new EvalError("filter '" + name + "' expects a list, got a string");
        }
        switch (name) {
            case "abs" -> {
                if (v instanceof Long l) {
                    return Math.abs(l);
                }
                if (v instanceof Boolean) {
                    return Values.asLong(v);
                }
                return Math.abs(Values.asDouble(v));
            }
            case "attr" -> {
                return Values.getAttr(v, (String) param(args, kwargs, 0, "name", null));
            }
            case "batch" -> {
                int size = (int) Values.asLong(param(args, kwargs, 0, "linecount", 1L));
                if (size <= 0) {
                    throw new EvalError("batch size must be positive");
                }
                boolean fill = args.size() > 1 || kwargs.containsKey("fill_with");
                Object filler = param(args, kwargs, 1, "fill_with", null);
                List<Object> out = new ArrayList<>();
                List<Object> cur = new ArrayList<>();
                for (Object o : Values.iterate(v)) {
                    cur.add(o);
                    if (cur.size() == size) {
                        out.add(cur);
                        cur = new ArrayList<>();
                    }
                }
                if (!cur.isEmpty()) {
                    while (fill && cur.size() < size) {
                        cur.add(filler);
                    }
                    out.add(cur);
                }
                return out;
            }
            case "capitalize" -> {
                return Methods.capitalize(Values.str(v));
            }
            case "center" -> {
                return Methods.stringMethod(Values.str(v), "center",
                        List.of(param(args, kwargs, 0, "width", 80L)), Map.of());
            }
            case "count", "length" -> {
                return Values.length(v);
            }
            case "d", "default" -> {
                Object dflt = param(args, kwargs, 0, "default_value", "");
                boolean bool = flag(args, kwargs, 1, "boolean");
                // like the peer, none counts as missing
                if (v instanceof Undefined || v == null || (bool && !Values.truthy(v))) {
                    return dflt;
                }
                return v;
            }
            case "dictsort" -> {
                boolean cs = flag(args, kwargs, 0, "case_sensitive");
                boolean byValue = "value".equals(param(args, kwargs, 1, "by", "key"));
                boolean reverse = flag(args, kwargs, 2, "reverse");
                if (!(v instanceof Map<?, ?> m)) {
                    throw new EvalError("dictsort expects a mapping, got " + Values.typeName(v));
                }
                List<Object> items = new ArrayList<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    items.add(Tuple.of(e.getKey(), e.getValue()));
                }
                Comparator<Object> cmp = (a, b) -> Values.compare(sortKey(((List<?>) a).get(byValue ? 1 : 0), cs),
                        sortKey(((List<?>) b).get(byValue ? 1 : 0), cs), "<");
                items.sort(reverse ? cmp.reversed() : cmp);
                return items;
            }
            case "e", "escape", "forceescape" -> {
                return escapeHtml(Values.str(v));
            }
            case "first" -> {
                List<?> items = Values.iterate(v);
                return items.isEmpty() ? Undefined.named("first") : items.getFirst();
            }
            case "last" -> {
                List<?> items = Values.iterate(v);
                return items.isEmpty() ? Undefined.named("last") : items.getLast();
            }
            case "float" -> {
                Object dflt = param(args, kwargs, 0, "default", 0.0);
                return toFloat(v, dflt);
            }
            case "int" -> {
                Object dflt = param(args, kwargs, 0, "default", 0L);
                int base = (int) Values.asLong(param(args, kwargs, 1, "base", 10L));
                return toInt(v, dflt, base);
            }
            case "format" -> {
                if (!kwargs.isEmpty()) {
                    return PyFormat.percent(Values.str(v), kwargs);
                }
                return PyFormat.percent(Values.str(v), Tuple.copyOf(args));
            }
            case "groupby" -> {
                String attribute = String.valueOf(param(args, kwargs, 0, "attribute", null));
                Object dflt = param(args, kwargs, 1, "default", null);
                Map<Object, List<Object>> groups = new LinkedHashMap<>();
                List<Object> sorted = new ArrayList<>(Values.iterate(v));
                sorted.sort((a, b) -> Values.compare(attrPath(a, attribute, dflt), attrPath(b, attribute, dflt), "<"));
                for (Object o : sorted) {
                    groups.computeIfAbsent(Values.mapKey(attrPath(o, attribute, dflt)), k -> new ArrayList<>()).add(o);
                }
                List<Object> out = new ArrayList<>();
                groups.forEach((k, items) -> out.add(Tuple.of(k, items)));
                return out;
            }
            case "indent" -> {
                Object width = param(args, kwargs, 0, "width", 4L);
                return indent(Values.str(v), width instanceof String s ? s : " ".repeat((int) Values.asLong(width)),
                        flag(args, kwargs, 1, "first"), flag(args, kwargs, 2, "blank"));
            }
            case "items" -> {
                if (v instanceof Undefined) {
                    return new ArrayList<>();
                }
                if (!(v instanceof Map<?, ?>)) {
                    throw new EvalError("items filter expects a mapping, got " + Values.typeName(v));
                }
                return Methods.dictMethod((Map<?, ?>) v, "items", List.of(), Map.of());
            }
            case "join" -> {
                String sep = Values.str(param(args, kwargs, 0, "d", ""));
                Object attribute = param(args, kwargs, 1, "attribute", null);
                StringBuilder sb = new StringBuilder();
                boolean first = true;
                for (Object o : Values.iterate(v)) {
                    if (!first) {
                        sb.append(sep);
                    }
                    first = false;
                    sb.append(Values.str(attribute == null ? o : attrPath(o, Values.str(attribute), null)));
                }
                return sb.toString();
            }
            case "list" -> {
                return new ArrayList<Object>(Values.iterate(v));
            }
            case "lower" -> {
                return Values.str(v).toLowerCase(Locale.ROOT);
            }
            case "upper" -> {
                return Values.str(v).toUpperCase(Locale.ROOT);
            }
            case "map" -> {
                List<Object> out = new ArrayList<>();
                if (kwargs.containsKey("attribute")) {
                    String attribute = Values.str(kwargs.get("attribute"));
                    Object dflt = kwargs.getOrDefault("default", Undefined.INSTANCE);
                    for (Object o : Values.iterate(v)) {
                        out.add(attrPath(o, attribute, dflt));
                    }
                    return out;
                }
                if (args.isEmpty()) {
                    throw new EvalError("map requires a filter name or attribute=");
                }
                String filter = Values.str(args.getFirst());
                List<Object> rest = args.subList(1, args.size());
                for (Object o : Values.iterate(v)) {
                    out.add(r.applyFilter(filter, o, rest, kwargs));
                }
                return out;
            }
            case "max", "min" -> {
                boolean cs = flag(args, kwargs, 0, "case_sensitive");
                Object attribute = param(args, kwargs, 1, "attribute", null);
                Object best = null;
                boolean found = false;
                for (Object o : Values.iterate(v)) {
                    Object key = sortKey(attribute == null ? o : attrPath(o, Values.str(attribute), null), cs);
                    if (!found) {
                        best = o;
                        found = true;
                        continue;
                    }
                    Object bestKey = sortKey(attribute == null ? best : attrPath(best, Values.str(attribute), null), cs);
                    int c = Values.compare(key, bestKey, "<");
                    if (name.equals("max") ? c > 0 : c < 0) {
                        best = o;
                    }
                }
                return found ? best : Undefined.named(name);
            }
            case "pprint" -> {
                return Values.repr(v);
            }
            case "select", "reject" -> {
                boolean keep = name.equals("select");
                List<Object> out = new ArrayList<>();
                for (Object o : Values.iterate(v)) {
                    boolean ok = args.isEmpty() ? Values.truthy(o)
                            : Tests.apply(Values.str(args.getFirst()), o, args.subList(1, args.size()), kwargs);
                    if (ok == keep) {
                        out.add(o);
                    }
                }
                return out;
            }
            case "selectattr", "rejectattr" -> {
                boolean keep = name.equals("selectattr");
                if (args.isEmpty()) {
                    throw new EvalError(name + " requires an attribute name");
                }
                String attribute = Values.str(args.getFirst());
                List<Object> out = new ArrayList<>();
                for (Object o : Values.iterate(v)) {
                    Object a = attrPath(o, attribute, Undefined.named(attribute));
                    boolean ok = args.size() < 2 ? Values.truthy(a)
                            : Tests.apply(Values.str(args.get(1)), a, args.subList(2, args.size()), kwargs);
                    if (ok == keep) {
                        out.add(o);
                    }
                }
                return out;
            }
            case "replace" -> {
                String s = Values.str(v);
                Object count = param(args, kwargs, 2, "count", null);
                return Methods.replace(s, Values.str(param(args, kwargs, 0, "old", "")),
                        Values.str(param(args, kwargs, 1, "new", "")), count == null ? -1 : Values.asLong(count));
            }
            case "reverse" -> {
                if (v instanceof String s) {
                    return new StringBuilder(s).reverse().toString();
                }
                List<Object> out = new ArrayList<>(Values.iterate(v));
                java.util.Collections.reverse(out);
                return out;
            }
            case "round" -> {
                int precision = (int) Values.asLong(param(args, kwargs, 0, "precision", 0L));
                String method = Values.str(param(args, kwargs, 1, "method", "common"));
                if (v instanceof Long && method.equals("common")) {
                    return v;
                }
                double x = Values.asDouble(v);
                double scale = Math.pow(10, precision);
                return switch (method) {
                    case "ceil" -> Math.ceil(x * scale) / scale;
                    case "floor" -> Math.floor(x * scale) / scale;
                    case "common" -> new java.math.BigDecimal(x).setScale(precision, java.math.RoundingMode.HALF_EVEN)
                            .doubleValue();
                    default -> throw new EvalError("method must be 'common', 'ceil' or 'floor'");
                };
            }
            case "safe" -> {
                return v;
            }
            case "slice" -> {
                int slices = (int) Values.asLong(param(args, kwargs, 0, "slices", 1L));
                boolean fill = args.size() > 1 || kwargs.containsKey("fill_with");
                Object filler = param(args, kwargs, 1, "fill_with", null);
                List<?> seq = Values.iterate(v);
                int length = seq.size();
                int perSlice = length / slices;
                int withExtra = length % slices;
                int offset = 0;
                List<Object> out = new ArrayList<>();
                for (int s = 0; s < slices; s++) {
                    int start = offset + s * perSlice;
                    if (s < withExtra) {
                        offset++;
                    }
                    int end = offset + (s + 1) * perSlice;
                    List<Object> part = new ArrayList<>(seq.subList(start, end));
                    if (fill && s >= withExtra) {
                        part.add(filler);
                    }
                    out.add(part);
                }
                return out;
            }
            case "sort" -> {
                boolean reverse = flag(args, kwargs, 0, "reverse");
                boolean cs = flag(args, kwargs, 1, "case_sensitive");
                Object attribute = param(args, kwargs, 2, "attribute", null);
                List<Object> out = new ArrayList<>(Values.iterate(v));
                Comparator<Object> cmp = (a, b) -> Values.compare(
                        sortKey(attribute == null ? a : attrPath(a, Values.str(attribute), null), cs),
                        sortKey(attribute == null ? b : attrPath(b, Values.str(attribute), null), cs), "<");
                out.sort(reverse ? cmp.reversed() : cmp);
                return out;
            }
            case "string" -> {
                return v == null ? "None" : Values.str(v);
            }
            case "striptags" -> {
                String s = TAGS.matcher(Values.str(v)).replaceAll("");
                return String.join(" ", Methods.split(s, null, -1).stream().map(Object::toString).toList());
            }
            case "sum" -> {
                Object attribute = param(args, kwargs, 0, "attribute", null);
                Object total = param(args, kwargs, 1, "start", 0L);
                for (Object o : Values.iterate(v)) {
                    total = Values.add(total, attribute == null ? o : attrPath(o, Values.str(attribute), null));
                }
                return total;
            }
            case "title" -> {
                StringBuilder sb = new StringBuilder();
                for (String part : splitKeepingDelimiters(Values.str(v))) {
                    if (part.isEmpty()) {
                        continue;
                    }
                    int cp = part.codePointAt(0);
                    sb.appendCodePoint(Character.toUpperCase(cp))
                            .append(part.substring(Character.charCount(cp)).toLowerCase(Locale.ROOT));
                }
                return sb.toString();
            }
            case "tojson" -> {
                return toJson(v, args, kwargs);
            }
            case "trim" -> {
                Object chars = param(args, kwargs, 0, "chars", null);
                return Methods.strip(Values.str(v), chars == null || chars instanceof Undefined ? null
                        : Values.str(chars), true, true);
            }
            case "truncate" -> {
                String s = Values.str(v);
                int length = (int) Values.asLong(param(args, kwargs, 0, "length", 255L));
                boolean killwords = flag(args, kwargs, 1, "killwords");
                String end = Values.str(param(args, kwargs, 2, "end", "..."));
                Object leewayArg = param(args, kwargs, 3, "leeway", null);
                int leeway = leewayArg == null ? 5 : (int) Values.asLong(leewayArg);
                if (s.length() <= length + leeway) {
                    return s;
                }
                if (killwords) {
                    return s.substring(0, Math.max(0, length - end.length())) + end;
                }
                String cut = s.substring(0, Math.max(0, length - end.length()));
                int sp = cut.lastIndexOf(' ');
                return (sp >= 0 ? cut.substring(0, sp) : cut) + end;
            }
            case "unique" -> {
                boolean cs = flag(args, kwargs, 0, "case_sensitive");
                Object attribute = param(args, kwargs, 1, "attribute", null);
                List<Object> out = new ArrayList<>();
                List<Object> seen = new ArrayList<>();
                for (Object o : Values.iterate(v)) {
                    Object key = sortKey(attribute == null ? o : attrPath(o, Values.str(attribute), null), cs);
                    boolean dup = false;
                    for (Object s : seen) {
                        if (Values.eq(s, key)) {
                            dup = true;
                            break;
                        }
                    }
                    if (!dup) {
                        seen.add(key);
                        out.add(o);
                    }
                }
                return out;
            }
            case "wordcount" -> {
                Matcher m = WORD.matcher(Values.str(v));
                long c = 0;
                while (m.find()) {
                    c++;
                }
                return c;
            }
            default -> throw new EvalError("no filter named '" + name + "'");
        }
    }

    private static Object sortKey(Object v, boolean caseSensitive) {
        return !caseSensitive && v instanceof String s ? s.toLowerCase(Locale.ROOT) : v;
    }

    /** {@code "a.b.0"}: attribute/item lookups in turn; {@code dflt} when the result is undefined. */
    static Object attrPath(Object obj, String path, Object dflt) {
        Object cur = obj;
        for (String part : path.split("\\.")) {
            if (!part.isEmpty() && part.chars().allMatch(Character::isDigit)) {
                cur = Values.getItem(cur, Long.parseLong(part));
            } else {
                cur = Values.getItem(cur, part);
            }
        }
        return cur instanceof Undefined && dflt != null ? dflt : cur;
    }

    private static Object toFloat(Object v, Object dflt) {
        if (v instanceof Double) {
            return v;
        }
        if (Values.isInteger(v)) {
            return (double) Values.asLong(v);
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return dflt;
            }
        }
        return dflt;
    }

    private static Object toInt(Object v, Object dflt, int base) {
        if (v instanceof Long) {
            return v;
        }
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? dflt : (Object) (long) d.doubleValue();
        }
        if (v instanceof String s) {
            String t = s.strip().replace("_", "");
            try {
                return Long.parseLong(t, base);
            } catch (NumberFormatException e) {
                try {
                    return (long) Double.parseDouble(t);
                } catch (NumberFormatException e2) {
                    return dflt;
                }
            }
        }
        return dflt;
    }

    private static String escapeHtml(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&#34;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Jinja2's indent: the first line stays unless {@code first}; blank lines stay blank unless {@code blank}. */
    static String indent(String s, String pad, boolean first, boolean blank) {
        List<String> lines = Methods.splitLines(s + "\n", false);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i > 0) {
                sb.append('\n');
                if (blank || !line.isEmpty()) {
                    sb.append(pad);
                }
            }
            sb.append(line);
        }
        return first ? pad + sb : sb.toString();
    }

    private static List<String> splitKeepingDelimiters(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = TITLE_SPLIT.matcher(s);
        int last = 0;
        while (m.find()) {
            out.add(s.substring(last, m.start()));
            out.add(m.group());
            last = m.end();
        }
        out.add(s.substring(last));
        return out;
    }

    static String toJson(Object v, List<Object> args, Map<String, Object> kwargs) {
        Object indent = param(args, kwargs, 0, "indent", null);
        String indentText = null;
        if (indent instanceof String s) {
            indentText = s;
        } else if (indent != null && !(indent instanceof Undefined)) {
            indentText = " ".repeat((int) Math.max(0, Values.asLong(indent)));
        }
        boolean ensureAscii = Values.truthy(kwargs.getOrDefault("ensure_ascii", false));
        boolean sortKeys = Values.truthy(kwargs.getOrDefault("sort_keys", false));
        String itemSep = indentText == null ? ", " : ",";
        String keySep = ": ";
        Object separators = kwargs.get("separators");
        if (separators instanceof List<?> seps && seps.size() == 2) {
            itemSep = Values.str(seps.get(0));
            keySep = Values.str(seps.get(1));
        }
        return Json.dumps(v, new Json.Style(indentText, ensureAscii, itemSep, keySep, sortKeys));
    }
}
