package io.llamabox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.cli.flags.Flag;
import io.llamabox.cli.flags.FlagCatalog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsageTextTest {
    private static final SpecText SPEC = SpecText.load();

    @Test
    void theSpecReaderFindsTheWholeUsageText() {
        // guards the extraction itself: a broken reader would make the coverage tests below vacuous
        Set<String> flags = SPEC.usageFlags();
        assertTrue(flags.size() > 150, "only " + flags.size() + " flags read from the spec");
        assertTrue(flags.containsAll(List.of("-h", "--usage", "-to", "--timeout", "--draft-n", "-Crb",
                "--image-free-compute-memory-immediately", "--rpc-server-reserve-memory")));
        assertTrue(SPEC.environmentVariables().size() >= 34);
        assertTrue(SPEC.environmentFlags().contains("--model-alias"));
    }

    @Test
    void helpListsEveryFlagOfTheSpec() {
        Set<String> shown = shownNames(BoxCommandLine.usage());
        List<String> missing = new ArrayList<>();
        for (String name : SPEC.usageFlags()) {
            if (!shown.contains(name)) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, "flags of the spec missing from --help");
    }

    @Test
    void helpListsEveryFlagThatTheEnvironmentListMentions() {
        Set<String> shown = shownNames(BoxCommandLine.usage());
        for (String name : SPEC.environmentFlags()) {
            assertTrue(shown.contains(name), name + " is missing from --help");
        }
    }

    @Test
    void everyFlagWeAcceptComesFromTheSpec() {
        Set<String> specNames = new HashSet<>(SPEC.usageFlags());
        specNames.addAll(SPEC.environmentFlags());
        specNames.addAll(FlagCatalog.EXTENSIONS); // ours, documented as such
        specNames.addAll(FlagCatalog.V2_FLAGS); // the C++ llama-box's last release, after the spec
        for (Flag flag : FlagCatalog.flags()) {
            for (String name : flag.names()) {
                assertTrue(specNames.contains(name), name + " is not a flag of the spec");
            }
        }
    }

    @Test
    void helpListsEveryEnvironmentVariableOfTheSpec() {
        String usage = BoxCommandLine.usage();
        for (String name : SPEC.environmentVariables()) {
            assertTrue(Pattern.compile("(?m)^  " + name + " ").matcher(usage).find(), name + " is missing");
        }
    }

    @Test
    void helpGroupsFlagsUnderTheSpecsHeadingsInTheSpecsOrder() {
        String usage = BoxCommandLine.usage();
        List<String> headings = SPEC.headings();
        assertEquals(List.of("general", "server", "server/completion", "server/completion/speculative",
                "server/completion/visual", "server/embedding", "server/images", "rpc-server"), headings);
        int last = -1;
        for (String heading : headings) {
            int at = usage.indexOf("\n" + heading + ":\n");
            assertTrue(at > last, heading + " is missing or out of order");
            last = at;
        }
        assertTrue(usage.indexOf("Available environment variables") > last);
        assertTrue(usage.startsWith("usage: llama-box [options]"));
    }

    @Test
    void flagsSitUnderTheSameHeadingAsInTheSpec() {
        String usage = BoxCommandLine.usage();
        assertTrue(section(usage, "server/completion/speculative").contains("--draft-max, --draft, --draft-n N"));
        assertTrue(section(usage, "server/images").contains("--image-sample-method, --image-sampler TYPE"));
        assertTrue(section(usage, "rpc-server").contains("--rpc-server-main-gpu N"));
        assertTrue(section(usage, "server").contains("-ngl, --gpu-layers, --n-gpu-layers N"));
        assertTrue(section(usage, "server/embedding").contains("--pooling"));
        assertTrue(section(usage, "server/completion/visual").contains("--visual-max-image-size N"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-h", "--help", "--usage"})
    void helpFlagsPrintTheUsageAndExitZero(String flag) {
        CommandLineResult result = BoxCommandLine.parse(new String[] {"--port", "9000", flag}, Map.of());
        assertEquals(new CommandLineResult.PrintAndExit(BoxCommandLine.usage(), 0), result);
        assertFalse(((CommandLineResult.PrintAndExit) result).isError());
    }

    @Test
    void helpWinsOverInvalidValues() {
        CommandLineResult result = BoxCommandLine.parse(new String[] {"--port", "nope", "--help"}, Map.of());
        assertEquals(0, ((CommandLineResult.PrintAndExit) result).exitCode());
    }

    @Test
    void versionPrintsTheBuildVersionAndExitsZero() {
        CommandLineResult result = BoxCommandLine.parse(new String[] {"--version"}, Map.of());
        CommandLineResult.PrintAndExit print = (CommandLineResult.PrintAndExit) result;
        assertEquals(0, print.exitCode());
        assertEquals(BoxCommandLine.versionText(), print.text());
        assertTrue(BoxCommandLine.version().matches("\\d+\\.\\d+\\.\\d+(-[A-Za-z0-9.]+)?"),
                "version '" + BoxCommandLine.version() + "' is not the Maven project version");
        assertTrue(print.text().startsWith("llama-box version " + BoxCommandLine.version()));
        assertFalse(print.text().contains("\n"));
    }

    private static Set<String> shownNames(String usage) {
        // the names column of each flag line: "  -np, --parallel N    Number of ..."
        Set<String> names = new HashSet<>();
        for (String line : usage.split("\n")) {
            if (!line.startsWith("  -")) {
                continue;
            }
            for (String token : line.strip().split("[,\\s]+")) {
                if (!token.startsWith("-")) {
                    break;
                }
                names.add(token);
            }
        }
        return names;
    }

    private static String section(String usage, String heading) {
        int start = usage.indexOf("\n" + heading + ":\n");
        int end = usage.indexOf("\n\n", usage.indexOf("\n\n", start + 1) + 2);
        return usage.substring(start, end < 0 ? usage.length() : end);
    }
}
