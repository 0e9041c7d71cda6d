package io.llamabox.chat.schema;

import java.util.Map;
import java.util.Set;

/**
 * Grammars of the string formats constrained output supports, as the text between the quotes. Each
 * produces a subset of the format's valid strings that validators accept (for example dates only up to
 * the 28th in February, times of day in UTC, offsets within the ±18 hours that parsers accept, and e-mail
 * addresses under common top-level domains).
 */
final class StringFormats {
    private static final String HEX = "[0-9a-fA-F]";
    private static final String YEAR = "[12] [0-9]{3}";
    private static final String DATE = YEAR + " \"-\" ((\"0\" [1-9] | \"1\" [0-2]) \"-\""
            + " (\"0\" [1-9] | \"1\" [0-9] | \"2\" [0-8])"
            + " | (\"0\" [13-9] | \"1\" [0-2]) \"-\" (\"29\" | \"30\")"
            + " | (\"0\" [13578] | \"1\" [02]) \"-\" \"31\")";
    private static final String HOUR = "([01] [0-9] | \"2\" [0-3])";
    private static final String TIME_OF_DAY = HOUR + " \":\" [0-5] [0-9] \":\" [0-5] [0-9] (\".\" [0-9]{1,6})?";
    /** UTC, or an offset within ±18 hours; never "-00:00" (RFC 3339's "offset unknown"). */
    private static final String OFFSET = "(\"Z\" | \"+\" (\"0\" [0-9] | \"1\" [0-7]) \":\" [0-5] [0-9]"
            + " | \"-\" (\"0\" [1-9] | \"1\" [0-7]) \":\" [0-5] [0-9])";
    private static final String LABEL = "[a-z0-9]{1,16}";
    private static final String TLD = "(\"com\" | \"org\" | \"net\" | \"io\" | \"dev\" | \"edu\")";
    private static final String DOMAIN = LABEL + " (\".\" " + LABEL + "){0,2} \".\" " + TLD;
    private static final String OCTET = "([0-9] | [1-9] [0-9] | \"1\" [0-9] [0-9] | \"2\" [0-4] [0-9] | \"25\" [0-5])";

    private static final Map<String, String> GRAMMARS = Map.of(
            "date", DATE,
            // validators disagree on times with offsets whose UTC falls on another day: UTC only
            "time", TIME_OF_DAY + " \"Z\"",
            "date-time", DATE + " \"T\" " + TIME_OF_DAY + " " + OFFSET,
            "uuid", HEX + "{8} \"-\" " + HEX + "{4} \"-\" " + HEX + "{4} \"-\" " + HEX + "{4} \"-\" " + HEX + "{12}",
            "email", "[a-z0-9]{1,16} (\".\" [a-z0-9]{1,16}){0,2} \"@\" " + DOMAIN,
            "hostname", DOMAIN,
            "ipv4", OCTET + " \".\" " + OCTET + " \".\" " + OCTET + " \".\" " + OCTET,
            "ipv6", HEX + "{1,4} (\":\" " + HEX + "{1,4}){7}",
            "uri", "\"http\" \"s\"? \"://\" " + DOMAIN + " (\"/\" [a-zA-Z0-9._~-]{1,16}){0,4}");

    /** Formats of the JSON Schema specification this grammar generator cannot produce; refused. */
    private static final Set<String> STANDARD_UNSUPPORTED = Set.of("duration", "idn-email", "idn-hostname", "iri",
            "iri-reference", "uri-reference", "uri-template", "json-pointer", "relative-json-pointer", "regex");

    private StringFormats() {
    }

    /** The grammar of a supported format, or null for formats outside the specification (annotations only). */
    static String grammar(String format, String where) {
        String g = GRAMMARS.get(format);
        if (g == null && STANDARD_UNSUPPORTED.contains(format)) {
            throw new SchemaException(where, "string format \"" + format + "\" is not supported (supported: "
                    + String.join(", ", GRAMMARS.keySet().stream().sorted().toList()) + ")");
        }
        return g;
    }
}
