package io.llamabox.chat.jinja;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Python's number and string formatting: float repr, {@code %} formatting and {@code str.format}. */
final class PyFormat {

    private PyFormat() {
    }

    /** Python's repr() of a float: the shortest round-tripping digits, exponent outside 1e-4 .. 1e16. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        String js = Double.toString(Math.abs(d));
        int e = js.indexOf('E');
        String mant = e >= 0 ? js.substring(0, e) : js;
        int exp10 = e >= 0 ? Integer.parseInt(js.substring(e + 1)) : 0;
        int dot = mant.indexOf('.');
        String digits = mant.substring(0, dot) + mant.substring(dot + 1);
        int point = dot + exp10;
        int lead = 0;
        while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
            lead++;
        }
        digits = digits.substring(lead);
        point -= lead;
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        digits = digits.substring(0, end);
        StringBuilder sb = new StringBuilder();
        if (d < 0) {
            sb.append('-');
        }
        if (point <= -4 || point > 16) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            int x = point - 1;
            sb.append('e').append(x < 0 ? '-' : '+');
            if (Math.abs(x) < 10) {
                sb.append('0');
            }
            sb.append(Math.abs(x));
        } else if (point <= 0) {
            sb.append("0.").append("0".repeat(-point)).append(digits);
        } else if (point >= digits.length()) {
            sb.append(digits).append("0".repeat(point - digits.length())).append(".0");
        } else {
            sb.append(digits, 0, point).append('.').append(digits, point, digits.length());
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- printf style: 'fmt' % args

    static String percent(String fmt, Object args) {
        List<?> positional = args instanceof Tuple t ? t : null;
        Map<?, ?> mapping = args instanceof Map<?, ?> m ? m : null;
        int argIndex = 0;
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = fmt.length();
        boolean usedSingle = false;
        while (i < n) {
            char c = fmt.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            i++;
            if (i >= n) {
                throw new EvalError("incomplete format");
            }
            Object value;
            String key = null;
            if (fmt.charAt(i) == '(') {
                int close = fmt.indexOf(')', i);
                if (close < 0) {
                    throw new EvalError("incomplete format key");
                }
                key = fmt.substring(i + 1, close);
                i = close + 1;
            }
            int specStart = i;
            while (i < n && "-+ #0".indexOf(fmt.charAt(i)) >= 0) {
                i++;
            }
            String flags = fmt.substring(specStart, i);
            int ws = i;
            while (i < n && Character.isDigit(fmt.charAt(i))) {
                i++;
            }
            int width = i > ws ? Integer.parseInt(fmt.substring(ws, i)) : -1;
            int precision = -1;
            if (i < n && fmt.charAt(i) == '.') {
                i++;
                int ps = i;
                while (i < n && Character.isDigit(fmt.charAt(i))) {
                    i++;
                }
                precision = i > ps ? Integer.parseInt(fmt.substring(ps, i)) : 0;
            }
            if (i >= n) {
                throw new EvalError("incomplete format");
            }
            char conv = fmt.charAt(i++);
            if (conv == '%') {
                out.append('%');
                continue;
            }
            if (key != null) {
                if (mapping == null) {
                    throw new EvalError("format requires a mapping");
                }
                value = mapping.get(key);
            } else if (positional != null) {
                if (argIndex >= positional.size()) {
                    throw new EvalError("not enough arguments for format string");
                }
                value = positional.get(argIndex++);
            } else {
                if (usedSingle) {
                    throw new EvalError("not enough arguments for format string");
                }
                usedSingle = true;
                value = args;
            }
            out.append(convert(conv, value, flags, width, precision));
        }
        if (positional != null && argIndex < positional.size()) {
            throw new EvalError("not all arguments converted during string formatting");
        }
        return out.toString();
    }

    private static String convert(char conv, Object value, String flags, int width, int precision) {
        String body;
        boolean numeric = true;
        switch (conv) {
            case 's' -> {
                body = Values.str(value);
                if (precision >= 0 && body.length() > precision) {
                    body = body.substring(0, precision);
                }
                numeric = false;
            }
            case 'r', 'a' -> {
                body = Values.repr(value);
                numeric = false;
            }
            case 'd', 'i', 'u' -> body = signed(Long.toString(toInteger(value)), flags);
            case 'x', 'X', 'o' -> {
                long v = toInteger(value);
                String digits = Long.toString(Math.abs(v), conv == 'o' ? 8 : 16);
                if (flags.indexOf('#') >= 0) {
                    digits = (conv == 'o' ? "0o" : "0x") + digits;
                }
                if (conv == 'X') {
                    digits = digits.toUpperCase(Locale.ROOT);
                }
                body = signed((v < 0 ? "-" : "") + digits, flags);
            }
            case 'f', 'F', 'e', 'E', 'g', 'G' -> body = signed(formatFloat(Values.asDouble(value), conv,
                    precision < 0 ? 6 : precision, flags.indexOf('#') >= 0), flags);
            case 'c' -> {
                body = value instanceof String s ? s : new String(Character.toChars((int) toInteger(value)));
                numeric = false;
            }
            default -> throw new EvalError("unsupported format character '" + conv + "'");
        }
        return pad(body, width, flags.indexOf('-') >= 0, numeric && flags.indexOf('0') >= 0);
    }

    private static long toInteger(Object value) {
        if (value instanceof Double d) {
            return d.longValue();
        }
        if (Values.isInteger(value)) {
            return Values.asLong(value);
        }
        throw new EvalError("%d format: a number is required, not " + Values.typeName(value));
    }

    private static String signed(String s, String flags) {
        if (s.startsWith("-")) {
            return s;
        }
        if (flags.indexOf('+') >= 0) {
            return "+" + s;
        }
        if (flags.indexOf(' ') >= 0) {
            return " " + s;
        }
        return s;
    }

    private static String pad(String body, int width, boolean left, boolean zero) {
        if (width <= body.length()) {
            return body;
        }
        int fill = width - body.length();
        if (left) {
            return body + " ".repeat(fill);
        }
        if (zero) {
            int signLen = !body.isEmpty() && "+- ".indexOf(body.charAt(0)) >= 0 ? 1 : 0;
            return body.substring(0, signLen) + "0".repeat(fill) + body.substring(signLen);
        }
        return " ".repeat(fill) + body;
    }

    /** Python's 'f', 'e' and 'g' conversions. */
    static String formatFloat(double v, char conv, int precision, boolean alternate) {
        if (Double.isNaN(v)) {
            return Character.isUpperCase(conv) ? "NAN" : "nan";
        }
        if (Double.isInfinite(v)) {
            String s = v > 0 ? "inf" : "-inf";
            return Character.isUpperCase(conv) ? s.toUpperCase(Locale.ROOT) : s;
        }
        switch (Character.toLowerCase(conv)) {
            case 'f' -> {
                return new BigDecimal(v).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
            }
            case 'e' -> {
                String s = exp(v, precision);
                return conv == 'E' ? s.toUpperCase(Locale.ROOT) : s;
            }
            default -> {
                int p = precision == 0 ? 1 : precision;
                if (v == 0) {
                    return alternate ? "0." + "0".repeat(p - 1) : (1 / v < 0 ? "-0" : "0");
                }
                String e = exp(v, p - 1);
                int x = Integer.parseInt(e.substring(e.indexOf('e') + 1));
                String s;
                if (x >= -4 && x < p) {
                    s = new BigDecimal(v).setScale(p - 1 - x, RoundingMode.HALF_EVEN).toPlainString();
                    if (!alternate && s.indexOf('.') >= 0) {
                        s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
                    }
                } else {
                    s = e;
                    if (!alternate) {
                        int ei = s.indexOf('e');
                        String m = s.substring(0, ei);
                        if (m.indexOf('.') >= 0) {
                            m = m.replaceAll("0+$", "").replaceAll("\\.$", "");
                        }
                        s = m + s.substring(ei);
                    }
                }
                return conv == 'G' ? s.toUpperCase(Locale.ROOT) : s;
            }
        }
    }

    private static String exp(double v, int precision) {
        String s = String.format(Locale.ROOT, "%." + precision + "e", v);
        int ei = s.indexOf('e');
        String mant = s.substring(0, ei);
        int x = Integer.parseInt(s.substring(ei + 1));
        return mant + "e" + (x < 0 ? "-" : "+") + (Math.abs(x) < 10 ? "0" : "") + Math.abs(x);
    }

    // ---------------------------------------------------------------- str.format

    static String format(String fmt, List<Object> args, Map<String, Object> kwargs) {
        StringBuilder out = new StringBuilder();
        int auto = 0;
        int i = 0;
        int n = fmt.length();
        while (i < n) {
            char c = fmt.charAt(i);
            if (c == '{') {
                if (i + 1 < n && fmt.charAt(i + 1) == '{') {
                    out.append('{');
                    i += 2;
                    continue;
                }
                int close = fmt.indexOf('}', i);
                if (close < 0) {
                    throw new EvalError("Single '{' encountered in format string");
                }
                String field = fmt.substring(i + 1, close);
                i = close + 1;
                String spec = "";
                int colon = field.indexOf(':');
                if (colon >= 0) {
                    spec = field.substring(colon + 1);
                    field = field.substring(0, colon);
                }
                char conversion = 0;
                int bang = field.indexOf('!');
                if (bang >= 0) {
                    conversion = bang + 1 < field.length() ? field.charAt(bang + 1) : 's';
                    field = field.substring(0, bang);
                }
                Object value;
                if (field.isEmpty()) {
                    if (auto >= args.size()) {
                        throw new EvalError("Replacement index " + auto + " out of range for positional args tuple");
                    }
                    value = args.get(auto++);
                } else if (Character.isDigit(field.charAt(0))) {
                    int idx = Integer.parseInt(field);
                    if (idx >= args.size()) {
                        throw new EvalError("Replacement index " + idx + " out of range for positional args tuple");
                    }
                    value = args.get(idx);
                } else {
                    if (!kwargs.containsKey(field)) {
                        throw new EvalError("KeyError: '" + field + "'");
                    }
                    value = kwargs.get(field);
                }
                if (conversion == 'r') {
                    value = Values.repr(value);
                } else if (conversion == 's') {
                    value = Values.str(value);
                }
                out.append(applySpec(value, spec));
            } else if (c == '}') {
                if (i + 1 < n && fmt.charAt(i + 1) == '}') {
                    out.append('}');
                    i += 2;
                    continue;
                }
                throw new EvalError("Single '}' encountered in format string");
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The format mini-language: [[fill]align][sign][#][0][width][,][.precision][type]. */
    static String applySpec(Object value, String spec) {
        if (spec.isEmpty()) {
            return Values.str(value);
        }
        int i = 0;
        char fill = ' ';
        char align = 0;
        if (spec.length() >= 2 && "<>^=".indexOf(spec.charAt(1)) >= 0) {
            fill = spec.charAt(0);
            align = spec.charAt(1);
            i = 2;
        } else if ("<>^=".indexOf(spec.charAt(0)) >= 0) {
            align = spec.charAt(0);
            i = 1;
        }
        char sign = '-';
        if (i < spec.length() && "+- ".indexOf(spec.charAt(i)) >= 0) {
            sign = spec.charAt(i++);
        }
        boolean alternate = false;
        if (i < spec.length() && spec.charAt(i) == '#') {
            alternate = true;
            i++;
        }
        if (i < spec.length() && spec.charAt(i) == '0') {
            if (align == 0) {
                fill = '0';
                align = '=';
            }
            i++;
        }
        int ws = i;
        while (i < spec.length() && Character.isDigit(spec.charAt(i))) {
            i++;
        }
        int width = i > ws ? Integer.parseInt(spec.substring(ws, i)) : 0;
        boolean grouping = false;
        if (i < spec.length() && (spec.charAt(i) == ',' || spec.charAt(i) == '_')) {
            grouping = true;
            i++;
        }
        int precision = -1;
        if (i < spec.length() && spec.charAt(i) == '.') {
            i++;
            int ps = i;
            while (i < spec.length() && Character.isDigit(spec.charAt(i))) {
                i++;
            }
            precision = Integer.parseInt(spec.substring(ps, i));
        }
        char type = i < spec.length() ? spec.charAt(i) : 0;
        String body;
        boolean numeric = Values.isNumber(value) && !(value instanceof Boolean && type == 0);
        if (!numeric || type == 's') {
            body = Values.str(value);
            if (precision >= 0 && body.length() > precision) {
                body = body.substring(0, precision);
            }
            if (align == 0) {
                align = '<';
            }
        } else {
            double d = Values.asDouble(value);
            switch (type) {
                case 'd', 'n' -> body = Long.toString(Values.asLong(value));
                case 'x', 'X', 'o', 'b' -> {
                    long v = Values.asLong(value);
                    int radix = type == 'o' ? 8 : type == 'b' ? 2 : 16;
                    String digits = Long.toString(Math.abs(v), radix);
                    if (alternate) {
                        digits = (type == 'o' ? "0o" : type == 'b' ? "0b" : "0x") + digits;
                    }
                    body = (v < 0 ? "-" : "") + (type == 'X' ? digits.toUpperCase(Locale.ROOT) : digits);
                }
                case 'f', 'F', 'e', 'E', 'g', 'G' -> body = formatFloat(d, type, precision < 0 ? 6 : precision, alternate);
                case '%' -> body = formatFloat(d * 100, 'f', precision < 0 ? 6 : precision, alternate) + "%";
                default -> {
                    if (value instanceof Double) {
                        body = precision >= 0 ? formatFloat(d, 'g', precision, alternate) : floatRepr(d);
                    } else {
                        body = Long.toString(Values.asLong(value));
                    }
                }
            }
            if (grouping) {
                body = group(body);
            }
            if (!body.startsWith("-")) {
                if (sign == '+') {
                    body = "+" + body;
                } else if (sign == ' ') {
                    body = " " + body;
                }
            }
            if (align == 0) {
                align = '>';
            }
        }
        if (body.length() >= width) {
            return body;
        }
        int pad = width - body.length();
        String f = String.valueOf(fill);
        return switch (align) {
            case '<' -> body + f.repeat(pad);
            case '^' -> f.repeat(pad / 2) + body + f.repeat(pad - pad / 2);
            case '=' -> {
                int signLen = !body.isEmpty() && "+- ".indexOf(body.charAt(0)) >= 0 ? 1 : 0;
                yield body.substring(0, signLen) + f.repeat(pad) + body.substring(signLen);
            }
            default -> f.repeat(pad) + body;
        };
    }

    private static String group(String num) {
        int start = num.startsWith("-") || num.startsWith("+") ? 1 : 0;
        int dot = num.indexOf('.');
        int intEnd = dot >= 0 ? dot : num.length();
        StringBuilder sb = new StringBuilder(num.substring(0, start));
        String ip = num.substring(start, intEnd);
        for (int k = 0; k < ip.length(); k++) {
            if (k > 0 && (ip.length() - k) % 3 == 0) {
                sb.append(',');
            }
            sb.append(ip.charAt(k));
        }
        return sb.append(num.substring(intEnd)).toString();
    }
}
