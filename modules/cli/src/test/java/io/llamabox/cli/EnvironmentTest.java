package io.llamabox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.cli.flags.EnvVariable;
import io.llamabox.cli.flags.FlagCatalog;
import io.llamabox.config.BoxSettings;
import io.llamabox.config.LogSettings;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnvironmentTest {
    /**
     * For each variable: a value that differs from the default, the command line it is equivalent to, a
     * conflicting value, and a command line that must win over that conflicting value.
     */
    private record Case(String variable, String value, List<String> equivalent, String conflicting,
            List<String> commandLine) {
    }

    private static final List<Case> CASES = List.of(
            new Case("LLAMA_ARG_MODEL", "env.gguf", List.of("-m", "env.gguf"), "env.gguf", List.of("-m", "a.gguf")),
            new Case("LLAMA_ARG_MODEL_ALIAS", "envalias", List.of("-a", "envalias"), "x", List.of("-a", "cli")),
            new Case("LLAMA_ARG_THREADS", "3", List.of("-t", "3"), "3", List.of("-t", "5")),
            new Case("LLAMA_ARG_CTX_SIZE", "2048", List.of("-c", "2048"), "2048", List.of("-c", "1024")),
            new Case("LLAMA_ARG_N_PARALLEL", "2", List.of("-np", "2"), "2", List.of("-np", "6")),
            new Case("LLAMA_ARG_BATCH", "512", List.of("-b", "512"), "512", List.of("-b", "64")),
            new Case("LLAMA_ARG_UBATCH", "128", List.of("-ub", "128"), "128", List.of("-ub", "32")),
            new Case("LLAMA_ARG_DEVICE", "CUDA0,CUDA1", List.of("-dev", "CUDA0,CUDA1"), "none",
                    List.of("-dev", "CUDA1")),
            new Case("LLAMA_ARG_N_GPU_LAYERS", "20", List.of("-ngl", "20"), "20", List.of("-ngl", "0")),
            new Case("LLAMA_ARG_THREADS_HTTP", "2", List.of("--threads-http", "2"), "2",
                    List.of("--threads-http", "9")),
            new Case("LLAMA_ARG_CACHE_PROMPT", "0", List.of("--no-cache-prompt"), "1",
                    List.of("--no-cache-prompt")),
            new Case("LLAMA_ARG_CACHE_REUSE", "64", List.of("--cache-reuse", "64"), "64",
                    List.of("--cache-reuse", "8")),
            new Case("LLAMA_ARG_CHAT_TEMPLATE", "llama3", List.of("--chat-template", "llama3"), "llama3",
                    List.of("--chat-template", "chatml")),
            new Case("LLAMA_ARG_N_PREDICT", "64", List.of("-n", "64"), "64", List.of("-n", "-2")),
            new Case("LLAMA_ARG_METRICS", "1", List.of("--metrics"), "0", List.of("--metrics")),
            new Case("LLAMA_ARG_SLOTS", "1", List.of("--slots"), "0", List.of("--slots")),
            new Case("LLAMA_ARG_EMBEDDINGS", "1", List.of("--embeddings"), "0", List.of("--embeddings")),
            new Case("LLAMA_ARG_FLASH_ATTN", "1", List.of("-fa"), "0", List.of("--flash-attn")),
            new Case("LLAMA_ARG_CONT_BATCHING", "0", List.of("-nocb"), "1", List.of("--no-cont-batching")),
            new Case("LLAMA_ARG_DEFRAG_THOLD", "0.5", List.of("-dt", "0.5"), "0.5", List.of("-dt", "-1")),
            new Case("LLAMA_ARG_HOST", "0.0.0.0", List.of("--host", "0.0.0.0"), "0.0.0.0",
                    List.of("--host", "::1")),
            new Case("LLAMA_ARG_PORT", "9090", List.of("--port", "9090"), "9090", List.of("--port", "9000")),
            new Case("LLAMA_ARG_DRAFT_MAX", "4", List.of("--draft-max", "4"), "4", List.of("--draft", "9")),
            new Case("LLAMA_ARG_DRAFT_MIN", "1", List.of("--draft-min", "1"), "1", List.of("--draft-n-min", "3")),
            new Case("LLAMA_ARG_DRAFT_P_MIN", "0.7", List.of("--draft-p-min", "0.7"), "0.7",
                    List.of("--draft-p-min", "0.2")),
            new Case("LLAMA_ARG_MODEL_DRAFT", "d.gguf", List.of("-md", "d.gguf"), "d.gguf",
                    List.of("--model-draft", "e.gguf")),
            new Case("LLAMA_ARG_DEVICE_DRAFT", "none", List.of("-devd", "none"), "none",
                    List.of("-devd", "CUDA0")),
            new Case("LLAMA_ARG_N_GPU_LAYERS_DRAFT", "10", List.of("-ngld", "10"), "10", List.of("-ngld", "1")),
            new Case("LLAMA_ARG_LOOKUP_NGRAM_MIN", "3", List.of("--lookup-ngram-min", "3"), "3",
                    List.of("--lookup-ngram-min", "1")),
            new Case("LLAMA_ARG_LOOKUP_CACHE_STATIC", "s.bin", List.of("-lcs", "s.bin"), "s.bin",
                    List.of("-lcs", "t.bin")),
            new Case("LLAMA_ARG_LOOKUP_CACHE_DYNAMIC", "d.bin", List.of("-lcd", "d.bin"), "d.bin",
                    List.of("-lcd", "e.bin")),
            new Case("LLAMA_ARG_RPC_SERVER_HOST", "10.0.0.1", List.of("--rpc-server-host", "10.0.0.1"), "10.0.0.1",
                    List.of("--rpc-server-host", "10.0.0.2")),
            new Case("LLAMA_ARG_RPC_SERVER_PORT", "50053", List.of("--rpc-server-port", "50053"), "50053",
                    List.of("--rpc-server-port", "50054")),
            new Case("LLAMA_LOG_VERBOSITY", "2", List.of("-lv", "2"), "2", List.of("-v")));

    static Stream<Arguments> cases() {
        return CASES.stream().map(c -> Arguments.of(c.variable(), c));
    }

    @Test
    void everyVariableOfTheSpecIsCoveredAndKnown() {
        Set<String> spec = SpecText.load().environmentVariables();
        Set<String> tested = new LinkedHashSet<>(CASES.stream().map(Case::variable).toList());
        Set<String> known = new LinkedHashSet<>(FlagCatalog.environment().stream().map(EnvVariable::name).toList());
        assertEquals(spec, tested);
        assertEquals(spec, known);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aVariableIsHonouredWhenItsFlagIsAbsent(String variable, Case c) {
        CommandLineResult plain = parse(List.of(), Map.of());
        CommandLineResult fromEnv = parse(List.of(), Map.of(variable, c.value()));
        assertNotEquals(plain, fromEnv, variable + " changed nothing");
        assertEquals(parse(c.equivalent(), Map.of()), fromEnv);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theCommandLineWinsOverAVariable(String variable, Case c) {
        assertEquals(parse(c.commandLine(), Map.of()), parse(c.commandLine(), Map.of(variable, c.conflicting())));
    }

    @Test
    void aVariableIsIgnoredEvenWhenInvalidIfItsFlagIsGiven() {
        assertEquals(9000, settings(List.of("--port", "9000"), Map.of("LLAMA_ARG_PORT", "not-a-port")).server()
                .port());
        assertEquals(LogSettings.LOG_EVERYTHING, settings(List.of("--verbose"), Map.of("LLAMA_LOG_VERBOSITY",
                "x")).log().verbosity());
    }

    @Test
    void aChatTemplateFileOnTheCommandLineWinsOverTheTemplateVariable(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        var file = java.nio.file.Files.writeString(dir.resolve("t.jinja"), "{{ messages }}");
        BoxSettings s = settings(List.of("--chat-template-file", file.toString()),
                Map.of("LLAMA_ARG_CHAT_TEMPLATE", "llama3"));
        assertEquals("{{ messages }}", s.model().chatTemplate().template().orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "TRUE", "on", "yes", "Yes"})
    void switchVariablesAcceptTheUsualTruthySpellings(String value) {
        BoxSettings s = settings(List.of(), Map.of("LLAMA_ARG_METRICS", value, "LLAMA_ARG_CACHE_PROMPT", value));
        assertTrue(s.server().endpoints().metrics());
        assertTrue(s.model().completion().cachePrompt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "false", "False", "off", "no", "NO"})
    void switchVariablesAcceptTheUsualFalsySpellings(String value) {
        BoxSettings s = settings(List.of(), Map.of("LLAMA_ARG_METRICS", value, "LLAMA_ARG_CONT_BATCHING", value));
        assertFalse(s.server().endpoints().metrics());
        assertFalse(s.model().context().continuousBatching());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "enable", "y", "-1"})
    void switchVariablesRejectOtherValuesInOneLine(String value) {
        var print = (CommandLineResult.PrintAndExit) parse(List.of(), Map.of("LLAMA_ARG_FLASH_ATTN", value));
        assertEquals(1, print.exitCode());
        assertTrue(print.text().startsWith("error: "), print.text());
        assertTrue(print.text().contains("LLAMA_ARG_FLASH_ATTN"), print.text());
        assertFalse(print.text().contains("\n"));
    }

    @Test
    void anInvalidValueVariableIsReportedWithItsName() {
        var print = (CommandLineResult.PrintAndExit) parse(List.of(), Map.of("LLAMA_ARG_CTX_SIZE", "big"));
        assertEquals("error: invalid value 'big' in LLAMA_ARG_CTX_SIZE: not an integer", print.text());
        assertEquals(1, print.exitCode());
    }

    @Test
    void emptyVariablesCountAsUnset() {
        assertEquals(BoxSettings.defaults(), settings(List.of(), Map.of("LLAMA_ARG_PORT", "", "LLAMA_ARG_MODEL",
                "  ")));
    }

    @Test
    void unrelatedVariablesAreIgnored() {
        assertEquals(BoxSettings.defaults(), settings(List.of(), Map.of("LLAMA_ARG_UNKNOWN", "1", "PATH", "/bin")));
    }

    @Test
    void theRpcServerPortVariableSelectsRpcServerMode() {
        assertTrue(parse(List.of(), Map.of("LLAMA_ARG_RPC_SERVER_PORT", "50052"))
                instanceof CommandLineResult.RunRpcServer);
    }

    private static CommandLineResult parse(List<String> args, Map<String, String> env) {
        return BoxCommandLine.parse(args.toArray(String[]::new), env);
    }

    private static BoxSettings settings(List<String> args, Map<String, String> env) {
        CommandLineResult result = parse(args, env);
        return switch (result) {
            case CommandLineResult.Run run -> run.settings();
            default -> throw new AssertionError("expected Run, got " + result);
        };
    }
}
