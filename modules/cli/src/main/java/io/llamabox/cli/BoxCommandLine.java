package io.llamabox.cli;

import io.llamabox.cli.flags.ArgumentScanner;
import io.llamabox.cli.flags.BuildInfo;
import io.llamabox.cli.flags.Draft;
import io.llamabox.cli.flags.EnvVariable;
import io.llamabox.cli.flags.Flag;
import io.llamabox.cli.flags.FlagCatalog;
import io.llamabox.cli.flags.InvalidValueException;
import io.llamabox.cli.flags.Occurrence;
import io.llamabox.cli.flags.UsageText;
import io.llamabox.config.BoxSettings;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import picocli.CommandLine.ParameterException;

/**
 * The {@code llama-box} command line. Settings come from the flags and, for a setting no flag gives, from its
 * {@code LLAMA_ARG_*} variable; otherwise the spec's default applies.
 *
 * <pre>{@code
 * switch (BoxCommandLine.parse(args)) {
 *     case CommandLineResult.Run run -> startServer(run.settings());
 *     case CommandLineResult.RunRpcServer rpc -> startRpcServer(rpc.settings());
 *     case CommandLineResult.SystemInfo info -> printSystemInfo(info.settings());
 *     case CommandLineResult.ListDevices list -> printDevices(list.settings());
 *     case CommandLineResult.PrintAndExit print -> {
 *         (print.isError() ? System.err : System.out).println(print.text());
 *         System.exit(print.exitCode());
 *     }
 * }
 * }</pre>
 */
public final class BoxCommandLine {
    /** Exit status for invalid command lines. */
    public static final int EXIT_INVALID = 1;

    private BoxCommandLine() {
    }

    /** Parses {@code args} with the process environment. */
    public static CommandLineResult parse(String[] args) {
        return parse(args, System.getenv());
    }

    /**
     * Parses {@code args}, taking settings that no flag gives from {@code env}. Never throws for bad input: an
     * invalid command line is a {@link CommandLineResult.PrintAndExit} with one line and exit status 1.
     */
    public static CommandLineResult parse(String[] args, Map<String, String> env) {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(env, "env");
        ArgumentScanner.Scan scan;
        try {
            scan = ArgumentScanner.scan(args, FlagCatalog.flags(), strict(args));
        } catch (ParameterException e) {
            return error(firstLine(e.getMessage()));
        }
        List<Occurrence> occurrences = scan.occurrences();
        if (given(occurrences, FlagCatalog.HELP)) {
            return new CommandLineResult.PrintAndExit(usage(), 0);
        }
        if (given(occurrences, FlagCatalog.VERSION)) {
            return new CommandLineResult.PrintAndExit(versionText(), 0);
        }
        Draft draft = new Draft();
        Set<Flag> present = new HashSet<>();
        occurrences.forEach(o -> present.add(o.flag()));
        for (EnvVariable variable : FlagCatalog.environment()) {
            String value = env.get(variable.name());
            if (value == null || value.isBlank() || variable.overriddenBy().stream().anyMatch(present::contains)) {
                continue;
            }
            try {
                variable.action().apply(draft, value);
            } catch (InvalidValueException e) {
                return error("invalid value '" + value + "' in " + variable.name() + ": " + e.getMessage());
            }
        }
        for (Occurrence occurrence : occurrences) {
            try {
                occurrence.flag().action().apply(draft, occurrence.values());
            } catch (InvalidValueException e) {
                return error("invalid value '" + String.join(" ", occurrence.values()) + "' for "
                        + occurrence.flag().primaryName() + ": " + e.getMessage());
            }
        }
        BoxSettings settings;
        try {
            settings = draft.build();
        } catch (InvalidValueException e) {
            return error(e.getMessage());
        }
        if (draft.systemInfo()) {
            return new CommandLineResult.SystemInfo(settings);
        }
        if (draft.listDevices()) {
            return new CommandLineResult.ListDevices(settings);
        }
        if (draft.listBufferTypes()) {
            return new CommandLineResult.ListBufferTypes(settings);
        }
        if (settings.rpcServer().enabled()) {
            return new CommandLineResult.RunRpcServer(settings, scan.unknown());
        }
        return new CommandLineResult.Run(settings, scan.unknown());
    }

    /** Whether {@link FlagCatalog#STRICT_ARGS} comes before any {@code --}: then unknown flags are refused. */
    private static boolean strict(String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals(FlagCatalog.STRICT_ARGS)) {
                return true;
            }
        }
        return false;
    }

    /** The {@code --help} text: every flag by group, then the environment variables. */
    public static String usage() {
        return UsageText.render(FlagCatalog.flags(), FlagCatalog.environment());
    }

    /** The version of this build, e.g. {@code 0.1.0}; also what {@code Server: llama-box/<version>} carries. */
    public static String version() {
        return BuildInfo.version();
    }

    /** The {@code --version} text. */
    public static String versionText() {
        return "llama-box version " + version() + " (Java " + Runtime.version() + ")";
    }

    private static boolean given(List<Occurrence> occurrences, String flagName) {
        return occurrences.stream().anyMatch(o -> o.flag().names().contains(flagName));
    }

    private static CommandLineResult error(String message) {
        return new CommandLineResult.PrintAndExit("error: " + firstLine(message), EXIT_INVALID);
    }

    private static String firstLine(String message) {
        String text = message == null ? "invalid command line" : message.strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline).strip();
    }
}
