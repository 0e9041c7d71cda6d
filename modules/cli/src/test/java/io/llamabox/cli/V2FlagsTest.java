package io.llamabox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.cli.flags.FlagCatalog;
import io.llamabox.config.AttentionType;
import io.llamabox.config.BoxSettings;
import io.llamabox.config.FlashAttentionMode;
import io.llamabox.config.SamplerType;
import io.llamabox.config.TensorOverride;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class V2FlagsTest {
    private static CommandLineResult parse(String... args) {
        return BoxCommandLine.parse(args, Map.of());
    }

    private static BoxSettings settings(String... args) {
        CommandLineResult result = parse(args);
        return switch (result) {
            case CommandLineResult.Run r -> {
                assertEquals(List.of(), r.unknownFlags());
                yield r.settings();
            }
            case CommandLineResult.RunRpcServer r -> r.settings();
            default -> throw new AssertionError(result.toString());
        };
    }

    private static String error(String... args) {
        var print = assertInstanceOf(CommandLineResult.PrintAndExit.class, parse(args));
        assertTrue(print.isError(), print.text());
        return print.text();
    }

    @Test
    void helpListsEveryV2Flag() {
        String usage = BoxCommandLine.usage();
        for (String name : FlagCatalog.V2_FLAGS) {
            assertTrue(usage.matches("(?s).*[ ,]" + java.util.regex.Pattern.quote(name) + "[ ,\\n].*"),
                    name + " is missing from --help");
        }
    }

    @Test
    void flashAttentionHasThreeStates() {
        assertEquals(FlashAttentionMode.AUTO, settings().model().context().flashAttention());
        assertEquals(FlashAttentionMode.ON, settings("-fa").model().context().flashAttention());
        assertEquals(FlashAttentionMode.OFF, settings("-fa", "--no-flash-attn").model().context().flashAttention());
        assertEquals(FlashAttentionMode.OFF,
                ((CommandLineResult.Run) BoxCommandLine.parse(new String[0], Map.of("LLAMA_ARG_FLASH_ATTN", "0")))
                        .settings().model().context().flashAttention());
    }

    @Test
    void cacheLayoutFlagsReachTheContextSettings() {
        var c = settings("--swa-full", "-kvu", "--attention", "non-causal").model().context();
        assertTrue(c.swaFull());
        assertTrue(c.kvUnified());
        assertEquals(AttentionType.NON_CAUSAL, c.attention().orElseThrow());
        assertTrue(error("--attention", "bidirectional").contains("--attention"));
    }

    @Test
    void tensorOverridesKeepTheirOrderAndTheMoeShortcutsAreLlamaCppsPatterns() {
        var o = settings("-ot", "token_embd=CPU", "--n-cpu-moe", "2", "-cmoe").model().offload();
        assertEquals(List.of(new TensorOverride("token_embd", "CPU"),
                new TensorOverride("blk\\.0\\.ffn_(up|down|gate)_exps", "CPU"),
                new TensorOverride("blk\\.1\\.ffn_(up|down|gate)_exps", "CPU"),
                new TensorOverride("\\.ffn_(up|down|gate)_exps", "CPU")), o.tensorOverrides());
        var draft = settings("-otd", "a=CPU,b=CPU", "-ncmoed", "1").speculative().draftTensorOverrides();
        assertEquals(List.of("a", "b", "blk\\.0\\.ffn_(up|down|gate)_exps"),
                draft.stream().map(TensorOverride::pattern).toList());
        assertFalse(settings("-nr").model().offload().repack());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"-ot|novalue|PATTERN=BUFFER_TYPE", "-ot|[=CPU|not a regular expression",
            "-ot|a=|PATTERN=BUFFER_TYPE", "--n-cpu-moe|-1|--n-cpu-moe", "--top-nsigma|x|--top-nsigma",
            "--chat-template-kwargs|[1]|JSON object", "--chat-template-kwargs|{x|not JSON",
            "--max-projected-cache|-1|--max-projected-cache", "--rpc-server-threads|0|--rpc-server-threads",
            "--origin-rpc-server-main-gpu|-2|--origin-rpc-server-main-gpu"})
    void badValuesOfV2FlagsFailAndSayWhy(String flag, String value, String named) {
        String text = error(flag, value);
        assertTrue(text.contains(named), text);
        assertFalse(text.contains("\n"), text);
    }

    @Test
    void topNSigmaIsASamplingDefaultAndASamplerName() {
        assertEquals(-1.0, settings().sampling().topNSigma());
        assertEquals(1.5, settings("--top-nsigma", "1.5").sampling().topNSigma());
        assertEquals(List.of(SamplerType.TOP_N_SIGMA, SamplerType.TEMPERATURE),
                settings("--samplers", "top_n_sigma;temperature").sampling().samplers());
        assertEquals(List.of(SamplerType.TOP_N_SIGMA, SamplerType.TEMPERATURE),
                settings("--sampling-seq", "st").sampling().samplers());
    }

    @Test
    void chatTemplateKwargsAreKeptAsJsonTextByName() {
        var kwargs = settings("--chat-template-kwargs", "{\"enable_thinking\":false,\"n\":{\"a\":[1]}}",
                "--chat-template-kwargs", "{\"n\":2}").model().chatTemplate().kwargs();
        assertEquals(Map.of("enable_thinking", "false", "n", "2"), kwargs);
    }

    @Test
    void contextShiftCanBeTurnedBackOn() {
        assertTrue(settings().model().completion().contextShift());
        assertFalse(settings("--no-context-shift").model().completion().contextShift());
        assertTrue(settings("--no-context-shift", "--context-shift").model().completion().contextShift());
    }

    @Test
    void bothProjectedCacheSpellingsSetOneLimit() {
        assertEquals(10, settings("--max-projected-cache", "10").visual().maxProjectedCache());
        assertEquals(4, settings("--visual-max-image-cache", "4").visual().maxProjectedCache());
        assertEquals(0, settings().visual().maxProjectedCache());
    }

    @Test
    void rpcServerCacheAndThreads() {
        var r = settings("--rpc-server-port", "50052", "--rpc-server-threads", "3", "--rpc-server-cache",
                "--rpc-server-cache-dir", "/var/cache/rpc").rpcServer();
        assertEquals(3, r.threads());
        assertTrue(r.cache());
        assertEquals(Path.of("/var/cache/rpc"), r.cacheDir().orElseThrow());
        assertTrue(r.originMainGpu().isEmpty());
        var defaults = settings("--rpc-server-port", "50052").rpcServer();
        assertEquals(-1, defaults.threads());
        assertFalse(defaults.cache());
    }

    @Test
    void listBufferTypesIsItsOwnCommand() {
        assertInstanceOf(CommandLineResult.ListBufferTypes.class, parse("--list-buffer-types"));
    }
}
