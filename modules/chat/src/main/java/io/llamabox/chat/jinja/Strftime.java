package io.llamabox.chat.jinja;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;
import java.util.Locale;

/** C's strftime in the C locale, for {@code strftime_now(format)}; {@code %-d} style flags drop padding. */
public final class Strftime {

    private Strftime() {
    }

    public static String format(String fmt, ZonedDateTime t) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%' || i + 1 >= fmt.length()) {
                sb.append(c);
                continue;
            }
            char d = fmt.charAt(++i);
            boolean noPad = false;
            if ((d == '-' || d == '_') && i + 1 < fmt.length()) {
                noPad = d == '-';
                d = fmt.charAt(++i);
            }
            switch (d) {
                case 'a' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US));
                case 'A' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US));
                case 'b', 'h' -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US));
                case 'B' -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.US));
                case 'c' -> sb.append(format("%a %b %e %H:%M:%S %Y", t));
                case 'C' -> num(sb, t.getYear() / 100, 2, noPad);
                case 'd' -> num(sb, t.getDayOfMonth(), 2, noPad);
                case 'D' -> sb.append(format("%m/%d/%y", t));
                case 'e' -> {
                    if (noPad) {
                        sb.append(t.getDayOfMonth());
                    } else {
                        sb.append(String.format("%2d", t.getDayOfMonth()));
                    }
                }
                case 'F' -> sb.append(format("%Y-%m-%d", t));
                case 'G' -> sb.append(t.get(IsoFields.WEEK_BASED_YEAR));
                case 'H' -> num(sb, t.getHour(), 2, noPad);
                case 'I' -> num(sb, t.getHour() % 12 == 0 ? 12 : t.getHour() % 12, 2, noPad);
                case 'j' -> num(sb, t.getDayOfYear(), 3, noPad);
                case 'k' -> sb.append(String.format("%2d", t.getHour()));
                case 'l' -> sb.append(String.format("%2d", t.getHour() % 12 == 0 ? 12 : t.getHour() % 12));
                case 'm' -> num(sb, t.getMonthValue(), 2, noPad);
                case 'M' -> num(sb, t.getMinute(), 2, noPad);
                case 'n' -> sb.append('\n');
                case 'p' -> sb.append(t.getHour() < 12 ? "AM" : "PM");
                case 'P' -> sb.append(t.getHour() < 12 ? "am" : "pm");
                case 'r' -> sb.append(format("%I:%M:%S %p", t));
                case 'R' -> sb.append(format("%H:%M", t));
                case 's' -> sb.append(t.toEpochSecond());
                case 'S' -> num(sb, t.getSecond(), 2, noPad);
                case 't' -> sb.append('\t');
                case 'T' -> sb.append(format("%H:%M:%S", t));
                case 'u' -> sb.append(t.getDayOfWeek().getValue());
                case 'V' -> num(sb, t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2, noPad);
                case 'w' -> sb.append(t.getDayOfWeek().getValue() % 7);
                case 'x' -> sb.append(format("%m/%d/%y", t));
                case 'X' -> sb.append(format("%H:%M:%S", t));
                case 'y' -> num(sb, t.getYear() % 100, 2, noPad);
                case 'Y' -> sb.append(t.getYear());
                case 'z' -> {
                    int secs = t.getOffset().getTotalSeconds();
                    sb.append(secs < 0 ? '-' : '+');
                    secs = Math.abs(secs);
                    num(sb, secs / 3600, 2, false);
                    num(sb, (secs / 60) % 60, 2, false);
                }
                case 'Z' -> sb.append(t.getZone().getDisplayName(TextStyle.SHORT, Locale.US));
                case 'U' -> num(sb, (t.getDayOfYear() + 6 - (t.getDayOfWeek().getValue() % 7)) / 7, 2, noPad);
                case 'W' -> num(sb, (t.getDayOfYear() + 6 - ((t.get(ChronoField.DAY_OF_WEEK) + 6) % 7)) / 7, 2, noPad);
                case '%' -> sb.append('%');
                default -> sb.append('%').append(d);
            }
        }
        return sb.toString();
    }

    private static void num(StringBuilder sb, int v, int width, boolean noPad) {
        String s = Integer.toString(v);
        if (!noPad) {
            sb.append("0".repeat(Math.max(0, width - s.length())));
        }
        sb.append(s);
    }
}
