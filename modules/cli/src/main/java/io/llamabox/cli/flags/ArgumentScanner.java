package io.llamabox.cli.flags;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Splits the arguments into flag occurrences with picocli, in command-line order. Values are taken as they
 * come, so negative numbers such as {@code -n -2} work; the flags' actions interpret them later.
 */
public final class ArgumentScanner {
    /** A word that is a value even though it starts with a dash: a negative number. */
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

    private ArgumentScanner() {
    }

    /**
     * What a command line holds: the known flags' occurrences, and the unknown flags that were passed over.
     *
     * @param occurrences known flags with their values, in command-line order
     * @param unknown each unknown flag with the words skipped with it, as given
     */
    public record Scan(List<Occurrence> occurrences, List<String> unknown) {
        public Scan {
            occurrences = List.copyOf(occurrences);
            unknown = List.copyOf(unknown);
        }
    }

    /**
     * The occurrences in {@code args}. Unless {@code strict}, an unknown flag and the words after it that
     * are not flags (its values, as far as they can be told) are passed over and reported, as the C++
     * llama-box does: launchers pass flags of other versions on purpose.
     *
     * @throws ParameterException for stray arguments, missing values and, if {@code strict}, unknown flags
     */
    public static Scan scan(String[] args, List<Flag> flags, boolean strict) {
        Map<String, Flag> byName = new HashMap<>();
        flags.forEach(f -> f.names().forEach(n -> byName.put(n, f)));
        List<String> unknown = new ArrayList<>();
        String[] known = strict ? args : withoutUnknownFlags(args, byName, unknown);
        List<Occurrence> found = new ArrayList<>();
        CommandSpec spec = CommandSpec.create().name("llama-box");
        spec.parser()
                .posixClusteredShortOptionsAllowed(false)
                .expandAtFiles(false)
                .overwrittenOptionsAllowed(true)
                .unmatchedOptionsAllowedAsOptionParameters(true)
                .splitQuotedStrings(false)
                .trimQuotes(false);
        for (Flag flag : flags) {
            spec.addOption(OptionSpec.builder(flag.names().toArray(String[]::new))
                    .arity(Integer.toString(flag.arity()))
                    .type(flag.arity() == 0 ? boolean.class : String.class)
                    .paramLabel(flag.paramLabel().isEmpty() ? "VALUE" : flag.paramLabel())
                    .parameterConsumer((stack, argSpec, commandSpec) -> {
                        List<String> values = new ArrayList<>(flag.arity());
                        for (int i = 0; i < flag.arity(); i++) {
                            if (stack.isEmpty()) {
                                throw new ParameterException(commandSpec.commandLine(), flag.primaryName()
                                        + " needs " + (flag.arity() == 1 ? "a value" : flag.arity() + " values")
                                        + " (" + flag.paramLabel() + ")");
                            }
                            String value = stack.pop();
                            if (commandSpec.optionsMap().containsKey(value)) {
                                throw new ParameterException(commandSpec.commandLine(), flag.primaryName()
                                        + " needs a value (" + flag.paramLabel() + ") but was followed by the flag "
                                        + value);
                            }
                            values.add(value);
                        }
                        found.add(new Occurrence(flag, values));
                    })
                    .build());
        }
        CommandLine commandLine = new CommandLine(spec);
        rejectValuesAttachedToSwitches(commandLine, known, byName);
        commandLine.parseArgs(known);
        return new Scan(found, unknown);
    }

    /**
     * {@code args} less the unknown flags and the non-flag words that follow each; every one removed is
     * added to {@code unknown} (a flag with its skipped words, space-separated). Known flags keep their
     * values whatever they look like.
     */
    private static String[] withoutUnknownFlags(String[] args, Map<String, Flag> byName, List<String> unknown) {
        List<String> kept = new ArrayList<>(args.length);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                kept.addAll(Arrays.asList(args).subList(i, args.length));
                break;
            }
            Flag flag = byName.get(arg);
            int eq = arg.indexOf('=');
            Flag attached = flag == null && eq > 0 ? byName.get(arg.substring(0, eq)) : null;
            if (flag != null || attached != null || !isFlag(arg)) {
                int values = flag != null ? flag.arity() : attached != null ? Math.max(attached.arity() - 1, 0) : 0;
                int end = Math.min(args.length, i + 1 + values);
                kept.addAll(Arrays.asList(args).subList(i, end));
                i = end - 1;
                continue;
            }
            StringBuilder skipped = new StringBuilder(arg);
            while (i + 1 < args.length && !isFlag(args[i + 1])) {
                skipped.append(' ').append(args[++i]);
            }
            unknown.add(skipped.toString());
        }
        return kept.toArray(String[]::new);
    }

    private static boolean isFlag(String word) {
        return word.length() > 1 && word.startsWith("-") && !NUMBER.matcher(word).matches();
    }

    /** picocli would report {@code --metrics=true} as a stray "true"; say what is wrong instead. */
    private static void rejectValuesAttachedToSwitches(CommandLine commandLine, String[] args,
            Map<String, Flag> byName) {
        for (int i = 0; i < args.length && !args[i].equals("--"); i++) {
            Flag flag = byName.get(args[i]);
            if (flag != null) {
                i += flag.arity();
                continue;
            }
            int eq = args[i].indexOf('=');
            Flag attached = eq > 0 ? byName.get(args[i].substring(0, eq)) : null;
            if (attached != null && attached.arity() == 0) {
                throw new ParameterException(commandLine, attached.primaryName() + " takes no value, got '"
                        + args[i] + "'");
            }
            if (attached != null) {
                i += attached.arity() - 1;
            }
        }
    }
}
