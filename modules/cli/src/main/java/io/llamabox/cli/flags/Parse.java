package io.llamabox.cli.flags;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.config.CpuMask;
import io.llamabox.config.CpuRange;
import io.llamabox.config.DeviceSelection;
import io.llamabox.config.KvOverride;
import io.llamabox.config.LogitBias;
import io.llamabox.config.RpcEndpoint;
import io.llamabox.config.SamplerType;
import io.llamabox.config.TensorOverride;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the text of one value into what a setting holds; failures say what was expected. */
public final class Parse {
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Pattern LOGIT_BIAS = Pattern.compile("([0-9]+)([+-])(.+)");
    private static final Pattern CPU_RANGE = Pattern.compile("([0-9]+)-([0-9]+)");
    private static final Pattern SPLIT_SEPARATORS = Pattern.compile("[,/]+");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TRUE = List.of("1", "true", "on", "yes");
    private static final List<String> FALSE = List.of("0", "false", "off", "no");

    private Parse() {
    }

    /** Any {@code long}. */
    public static long wholeNumber(String text) throws InvalidValueException {
        String v = text.strip();
        if (!INTEGER.matcher(v).matches()) {
            throw new InvalidValueException("not an integer");
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new InvalidValueException("integer out of range");
        }
    }

    /** An integer from {@code min} to {@code max}. */
    public static long integer(String text, long min, long max) throws InvalidValueException {
        long value = wholeNumber(text);
        if (value < min || value > max) {
            boolean unbounded = max >= Integer.MAX_VALUE;
            if (unbounded && value > max) {
                throw new InvalidValueException("integer out of range");
            }
            throw new InvalidValueException(unbounded ? "must be at least " + min
                    : "must be between " + min + " and " + max);
        }
        return value;
    }

    /** An {@code int} from {@code min} to {@code max}. */
    public static int integer(String text, int min, int max) throws InvalidValueException {
        return (int) integer(text, (long) min, (long) max);
    }

    /** An {@code int} of at least {@code min}. */
    public static int atLeast(String text, int min) throws InvalidValueException {
        return integer(text, min, Integer.MAX_VALUE);
    }

    /** -1 (decide automatically) or an {@code int} of at least {@code min}. */
    public static int automaticOrAtLeast(String text, int min) throws InvalidValueException {
        int value = integer(text, Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (value != -1 && value < min) {
            throw new InvalidValueException("must be -1 (automatic) or at least " + min);
        }
        return value;
    }

    /** Any finite decimal number. */
    public static double decimal(String text) throws InvalidValueException {
        String v = text.strip();
        if (!DECIMAL.matcher(v).matches()) {
            throw new InvalidValueException("not a number");
        }
        double value = Double.parseDouble(v);
        if (Double.isInfinite(value)) {
            throw new InvalidValueException("number out of range");
        }
        return value;
    }

    /** A decimal number from {@code min} to {@code max}. */
    public static double decimal(String text, double min, double max) throws InvalidValueException {
        double value = decimal(text);
        if (value < min || value > max) {
            throw new InvalidValueException("must be between " + min + " and " + max);
        }
        return value;
    }

    /** A decimal number of at least {@code min}. */
    public static double atLeast(String text, double min) throws InvalidValueException {
        double value = decimal(text);
        if (value < min) {
            throw new InvalidValueException("must be at least " + min);
        }
        return value;
    }

    /** A decimal number above 0. */
    public static double positive(String text) throws InvalidValueException {
        double value = decimal(text);
        if (value <= 0) {
            throw new InvalidValueException("must be above 0");
        }
        return value;
    }

    /** 1/true/on/yes or 0/false/off/no, in any case. */
    public static boolean truth(String text) throws InvalidValueException {
        String v = text.strip().toLowerCase(Locale.ROOT);
        if (TRUE.contains(v)) {
            return true;
        }
        if (FALSE.contains(v)) {
            return false;
        }
        throw new InvalidValueException("expected one of 1, true, on, yes (enable) or 0, false, off, no (disable)");
    }

    /** Text that is not blank. */
    public static String nonBlank(String text) throws InvalidValueException {
        if (text.isBlank()) {
            throw new InvalidValueException("must not be empty");
        }
        return text;
    }

    /** Text that is not empty (it may be white space). */
    public static String nonEmpty(String text) throws InvalidValueException {
        if (text.isEmpty()) {
            throw new InvalidValueException("must not be empty");
        }
        return text;
    }

    /** A file system path. */
    public static Path path(String text) throws InvalidValueException {
        if (text.isBlank()) {
            throw new InvalidValueException("must not be empty");
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new InvalidValueException("not a valid path (" + e.getReason() + ")");
        }
    }

    /** The UTF-8 content of a file, read now. */
    public static String fileContent(Path file) throws InvalidValueException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidValueException("no such file");
        } catch (AccessDeniedException e) {
            throw new InvalidValueException("permission denied");
        } catch (MalformedInputException e) {
            throw new InvalidValueException("the file is not UTF-8 text");
        } catch (IOException e) {
            throw new InvalidValueException("cannot read the file (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** One of a closed set of spellings. */
    public static <E> E choice(String text, Function<String, Optional<E>> lookup, String allowed)
            throws InvalidValueException {
        return lookup.apply(text.strip()).orElseThrow(() -> new InvalidValueException("must be one of " + allowed));
    }

    /** Proportions separated by commas or slashes, e.g. {@code 3,1}. */
    public static List<Double> proportions(String text) throws InvalidValueException {
        List<Double> shares = new ArrayList<>();
        for (String part : SPLIT_SEPARATORS.split(text.strip(), -1)) {
            if (part.isBlank()) {
                throw new InvalidValueException("expected proportions separated by commas, e.g. 3,1");
            }
            double share;
            try {
                share = decimal(part);
            } catch (InvalidValueException e) {
                throw new InvalidValueException("'" + part + "' is not a number");
            }
            if (share < 0) {
                throw new InvalidValueException("proportions must not be negative");
            }
            shares.add(share);
        }
        return shares;
    }

    /** {@code none}, or device names separated by commas. */
    public static DeviceSelection devices(String text) throws InvalidValueException {
        String v = text.strip();
        if (v.equals("none")) {
            return DeviceSelection.none();
        }
        List<String> names = new ArrayList<>();
        for (String part : v.split(",", -1)) {
            if (part.isBlank()) {
                throw new InvalidValueException("expected device names separated by commas, or none");
            }
            names.add(part.strip());
        }
        return DeviceSelection.of(names);
    }

    /** {@code HOST:PORT} entries separated by commas. */
    public static List<RpcEndpoint> rpcServers(String text) throws InvalidValueException {
        List<RpcEndpoint> servers = new ArrayList<>();
        for (String part : text.strip().split(",", -1)) {
            String entry = part.strip();
            int colon = entry.lastIndexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new InvalidValueException("'" + entry + "' is not HOST:PORT");
            }
            int port;
            try {
                port = integer(entry.substring(colon + 1), 1, 65535);
            } catch (InvalidValueException e) {
                throw new InvalidValueException("'" + entry + "' needs a port between 1 and 65535");
            }
            servers.add(new RpcEndpoint(entry.substring(0, colon), port));
        }
        return servers;
    }

    /** Hexadecimal digits, optionally after {@code 0x}. */
    public static CpuMask cpuMask(String text) throws InvalidValueException {
        try {
            return new CpuMask(text.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(e.getMessage());
        }
    }

    /** {@code lo-hi}. */
    public static CpuRange cpuRange(String text) throws InvalidValueException {
        Matcher m = CPU_RANGE.matcher(text.strip());
        if (!m.matches()) {
            throw new InvalidValueException("expected a range lo-hi, e.g. 0-7");
        }
        try {
            return new CpuRange(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (NumberFormatException e) {
            throw new InvalidValueException("CPU numbers must be below " + CpuMask.MAX_CPUS);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(e.getMessage());
        }
    }

    /** {@code KEY=TYPE:VALUE} with TYPE one of int, float, bool, str. */
    /**
     * {@code PATTERN=BUFFER_TYPE[,PATTERN=BUFFER_TYPE...]} ({@code -ot}): a regular expression over weight names
     * and a buffer type's name each. Whether the buffer type exists is known once the backends are loaded.
     */
    public static List<TensorOverride> tensorOverrides(String text) throws InvalidValueException {
        List<TensorOverride> out = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            int eq = item.lastIndexOf('=');
            if (eq <= 0 || eq == item.length() - 1) {
                throw new InvalidValueException("expected PATTERN=BUFFER_TYPE, e.g. \\.ffn_.*_exps\\.=CPU, got '"
                        + item + "'");
            }
            try {
                out.add(new TensorOverride(item.substring(0, eq), item.substring(eq + 1)));
            } catch (IllegalArgumentException e) {
                throw new InvalidValueException(e.getMessage());
            }
        }
        return out;
    }

    /** A JSON object ({@code --chat-template-kwargs}): each member's name with its value as JSON text. */
    public static Map<String, String> jsonObjectMembers(String text) throws InvalidValueException {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidValueException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidValueException("must be a JSON object, e.g. {\"enable_thinking\":false}");
        }
        Map<String, String> members = new LinkedHashMap<>();
        node.properties().forEach(e -> members.put(e.getKey(), e.getValue().toString()));
        return members;
    }

    public static KvOverride kvOverride(String text) throws InvalidValueException {
        int eq = text.indexOf('=');
        int colon = eq < 0 ? -1 : text.indexOf(':', eq + 1);
        if (eq <= 0 || colon < 0) {
            throw new InvalidValueException("expected KEY=TYPE:VALUE, e.g. tokenizer.ggml.add_bos_token=bool:false");
        }
        String key = text.substring(0, eq);
        String type = text.substring(eq + 1, colon);
        String value = text.substring(colon + 1);
        try {
            return switch (type) {
                case "int" -> new KvOverride.IntValue(key, typed(value, "int"));
                case "float" -> new KvOverride.FloatValue(key, typedDecimal(value));
                case "bool" -> switch (value) {
                    case "true" -> new KvOverride.BoolValue(key, true);
                    case "false" -> new KvOverride.BoolValue(key, false);
                    default -> throw new InvalidValueException("a bool override must be true or false");
                };
                case "str" -> new KvOverride.StringValue(key, value);
                default -> throw new InvalidValueException("type '" + type + "' is not one of int, float, bool, str");
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(e.getMessage());
        }
    }

    private static long typed(String value, String type) throws InvalidValueException {
        try {
            return wholeNumber(value);
        } catch (InvalidValueException e) {
            throw new InvalidValueException("'" + value + "' is not a valid " + type);
        }
    }

    private static double typedDecimal(String value) throws InvalidValueException {
        try {
            return decimal(value);
        } catch (InvalidValueException e) {
            throw new InvalidValueException("'" + value + "' is not a valid float");
        }
    }

    /** {@code TOKEN_ID+BIAS} or {@code TOKEN_ID-BIAS}; the bias may be {@code inf}. */
    public static LogitBias logitBias(String text) throws InvalidValueException {
        Matcher m = LOGIT_BIAS.matcher(text.strip());
        if (!m.matches()) {
            throw new InvalidValueException("expected TOKEN_ID+BIAS or TOKEN_ID-BIAS, e.g. 15043+1");
        }
        int token;
        try {
            token = Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            throw new InvalidValueException("token id out of range");
        }
        String magnitude = m.group(3).toLowerCase(Locale.ROOT);
        double bias;
        if (magnitude.equals("inf") || magnitude.equals("infinity")) {
            bias = Double.POSITIVE_INFINITY;
        } else if (DECIMAL.matcher(magnitude).matches() && !magnitude.startsWith("+") && !magnitude.startsWith("-")) {
            bias = Double.parseDouble(magnitude);
        } else {
            throw new InvalidValueException("'" + m.group(3) + "' is not a bias");
        }
        return new LogitBias(token, m.group(2).equals("-") ? -bias : bias);
    }

    /** Sampler names separated by {@code ;}. */
    public static List<SamplerType> samplerNames(String text) throws InvalidValueException {
        List<SamplerType> chain = new ArrayList<>();
        for (String part : text.split(";", -1)) {
            String name = part.strip();
            if (name.isEmpty()) {
                continue;
            }
            chain.add(SamplerType.fromName(name).orElseThrow(() -> new InvalidValueException(
                    "unknown sampler '" + name + "' (known: " + SamplerType.labels().replace(", ", ";") + ")")));
        }
        return chain;
    }

    /** One letter per sampler, e.g. {@code edkypmxt}. */
    public static List<SamplerType> samplerLetters(String text) throws InvalidValueException {
        List<SamplerType> chain = new ArrayList<>();
        for (char letter : text.strip().toCharArray()) {
            chain.add(SamplerType.fromLetter(letter).orElseThrow(() -> new InvalidValueException(
                    "unknown sampler letter '" + letter + "' (known: " + letters() + ")")));
        }
        return chain;
    }

    private static String letters() {
        StringBuilder known = new StringBuilder();
        for (SamplerType t : SamplerType.values()) {
            known.append(t.letter());
        }
        return known.toString();
    }

    /** Text with the escapes \n, \r, \t, \', \", \\ and \0 turned into the characters they stand for. */
    public static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                out.append(c);
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case '0' -> out.append('\0');
                case '\'', '"', '\\' -> out.append(next);
                default -> out.append('\\').append(next);
            }
        }
        return out.toString();
    }
}
