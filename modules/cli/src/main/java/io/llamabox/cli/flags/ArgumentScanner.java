package io.llamabox.cli.flags;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Splits the arguments into flag occurrences with picocli, in command-line order. Values are taken as they
 * come, so negative numbers such as {@code -n -2} work; the flags' actions interpret them later.
 */
public final class ArgumentScanner {
    private ArgumentScanner() {
    }

    /**
     * The occurrences in {@code args}.
     *
     * @throws ParameterException for unknown flags, stray arguments and missing values
     */
    public static List<Occurrence> scan(String[] args, List<Flag> flags) {
        Map<String, Flag> byName = new HashMap<>();
        flags.forEach(f -> f.names().forEach(n -> byName.put(n, f)));
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
        rejectValuesAttachedToSwitches(commandLine, args, byName);
        commandLine.parseArgs(args);
        return found;
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
