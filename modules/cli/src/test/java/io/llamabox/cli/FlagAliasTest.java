package io.llamabox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.cli.flags.Flag;
import io.llamabox.cli.flags.FlagCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FlagAliasTest {
    @TempDir
    static Path files;
    private static FlagSamples samples;

    @BeforeAll
    static void writeSampleFiles() {
        samples = new FlagSamples(files);
    }

    static Stream<Arguments> everyNameOfEveryFlag() {
        List<Arguments> cases = new ArrayList<>();
        for (Flag flag : FlagCatalog.flags()) {
            if (flag.primaryName().equals(FlagCatalog.STRICT_ARGS)) {
                continue; // changes how unknown flags are scanned, no setting: UnknownFlagsTest covers it
            }
            for (String name : flag.names()) {
                cases.add(Arguments.of(flag.primaryName(), name));
            }
        }
        return cases.stream();
    }

    @Test
    void everyFlagHasASample() {
        List<String> missing = FlagCatalog.flags().stream().map(Flag::primaryName).filter(n -> !samples.has(n))
                .filter(n -> !n.equals(FlagCatalog.STRICT_ARGS)).toList();
        assertEquals(List.of(), missing);
    }

    @ParameterizedTest(name = "{1} (as {0})")
    @MethodSource("everyNameOfEveryFlag")
    void everySpellingOfAFlagHasTheSameVisibleEffect(String primaryName, String name) {
        FlagSamples.Sample sample = samples.of(primaryName);
        CommandLineResult without = parse(sample.before().toArray(String[]::new));
        CommandLineResult viaPrimary = parse(samples.args(primaryName, primaryName));
        CommandLineResult viaName = parse(samples.args(primaryName, name));

        assertFalse(viaName instanceof CommandLineResult.PrintAndExit p && p.isError(), () -> viaName.toString());
        assertNotEquals(without, viaName, name + " changed nothing");
        assertEquals(viaPrimary, viaName);
    }

    @Test
    void theSpecsMultiNameFlagsAllParse() {
        // spot check of the aliases the brief names, against explicit values
        assertEquals(3, settings("-np", "3").model().context().parallel());
        assertEquals(3, settings("--parallel", "3").model().context().parallel());
        assertEquals(7, settings("-to", "7").server().timeout().toSeconds());
        assertEquals(5, settings("--draft", "5").speculative().draftMax());
        assertEquals(5, settings("--draft-n", "5").speculative().draftMax());
        assertEquals(12, settings("--n-gpu-layers", "12").model().offload().gpuLayers());
        assertEquals(4, settings("--log-verbosity", "4").log().verbosity());
        assertTrue(settings("--log-verbose").log().verbose());
        assertEquals("x", settings("--model-alias", "x").server().alias().orElseThrow());
    }

    private static CommandLineResult parse(String... args) {
        return BoxCommandLine.parse(args, Map.of());
    }

    private static io.llamabox.config.BoxSettings settings(String... args) {
        return ((CommandLineResult.Run) parse(args)).settings();
    }
}
