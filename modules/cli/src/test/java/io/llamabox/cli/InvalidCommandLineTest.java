package io.llamabox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InvalidCommandLineTest {
    /** Arguments, then the flag (or text) that the error line must name. */
    static Stream<Arguments> invalidCommandLines() {
        return Stream.of(
                bad("--port", "--port", "abc"),
                bad("--port", "--port", "70000"),
                bad("--port", "--port", "80.5"),
                bad("--timeout", "-to", "0"),
                bad("--threads-http", "--threads-http", "0"),
                bad("--conn-idle", "--conn-idle", "0"),
                bad("--conn-keepalive", "--conn-keepalive", "-1"),
                bad("--host", "--host", " "),
                bad("--seed", "-s", "4294967296"),
                bad("--seed", "-s", "-2"),
                bad("--gpu-layers", "-ngl", "-2"),
                bad("--ctx-size", "-c", "-1"),
                bad("--predict", "-n", "-3"),
                bad("--batch-size", "-b", "0"),
                bad("--ubatch-size", "-ub", "zero"),
                bad("--parallel", "-np", "0"),
                bad("--keep", "--keep", "-2"),
                bad("--main-gpu", "-mg", "-1"),
                bad("--split-mode", "-sm", "rows"),
                bad("--cache-type-k", "-ctk", "q3_k"),
                bad("--cache-type-v", "-ctv", "F16"),
                bad("--numa", "--numa", "disabled"),
                bad("--pooling", "--pooling", "max"),
                bad("--rope-scaling", "--rope-scaling", "ntk"),
                bad("--rope-scale", "--rope-scale", "0"),
                bad("--rope-freq-base", "--rope-freq-base", "-5"),
                bad("--override-kv", "--override-kv", "novalue"),
                bad("--override-kv", "--override-kv", "a.b=double:1.0"),
                bad("--override-kv", "--override-kv", "a.b=int:1.5"),
                bad("--override-kv", "--override-kv", "a.b=bool:yes"),
                bad("--override-kv", "--override-kv", "a.b=float:x"),
                bad("--override-kv", "--override-kv", "=int:1"),
                bad("--logit-bias", "-l", "15043"),
                bad("--logit-bias", "-l", "abc+1"),
                bad("--logit-bias", "-l", "15043+x"),
                bad("--logit-bias", "-l", "15043*2"),
                bad("--samplers", "--samplers", "top_k;nonsense"),
                bad("--sampling-seq", "--sampling-seq", "kq"),
                bad("--tensor-split", "-ts", "3,-1"),
                bad("--tensor-split", "-ts", "3;1"),
                bad("--tensor-split", "-ts", "a,b"),
                bad("--device", "-dev", "CUDA0,,CUDA1"),
                bad("--rpc", "--rpc", "10.0.0.2"),
                bad("--rpc", "--rpc", "10.0.0.2:0"),
                bad("--rpc", "--rpc", ":50052"),
                bad("--cpu-mask", "-C", "xyz"),
                bad("--cpu-mask", "-C", "1".repeat(129)),
                bad("--cpu-range", "-Cr", "5-2"),
                bad("--cpu-range", "-Cr", "5"),
                bad("--cpu-range-batch", "-Crb", "0-512"),
                bad("--cpu-strict", "--cpu-strict", "2"),
                bad("--prio", "--prio", "4"),
                bad("--prio-batch", "--prio-batch", "-1"),
                bad("--poll", "--poll", "101"),
                bad("--poll-batch", "--poll-batch", "-1"),
                bad("--threads", "-t", "0"),
                bad("--temp", "--temp", "hot"),
                bad("--temp", "--temp", "1e999"),
                bad("--temp", "--temp", "NaN"),
                bad("--temp", "--temp", "0.5f"),
                bad("--top-k", "--top-k", "-1"),
                bad("--top-p", "--top-p", "1.5"),
                bad("--min-p", "--min-p", "-0.1"),
                bad("--xtc-probability", "--xtc-probability", "2"),
                bad("--typical", "--typical", "1.01"),
                bad("--repeat-last-n", "--repeat-last-n", "-2"),
                bad("--repeat-penalty", "--repeat-penalty", "-1"),
                bad("--dry-multiplier", "--dry-multiplier", "-1"),
                bad("--dry-penalty-last-n", "--dry-penalty-last-n", "-2"),
                bad("--dry-sequence-breaker", "--dry-sequence-breaker", ""),
                bad("--mirostat", "--mirostat", "3"),
                bad("--slot-prompt-similarity", "-sps", "1.5"),
                bad("--tokens-per-second", "-tps", "-2"),
                bad("--cache-reuse", "--cache-reuse", "-1"),
                bad("--lora-scaled", "--lora-scaled", "a.gguf", "big"),
                bad("--control-vector-scaled", "--control-vector-scaled", "v.gguf", "?"),
                bad("--control-vector-layer-range", "--control-vector-layer-range", "10", "2"),
                bad("--draft-max", "--draft", "-1"),
                bad("--draft-p-min", "--draft-p-min", "1.2"),
                bad("--gpu-layers-draft", "-ngld", "x"),
                bad("--lookup-ngram-min", "--lookup-ngram-min", "5"),
                bad("--visual-max-image-size", "--visual-max-image-size", "224"),
                bad("--visual-max-image-size", "--visual-max-image-size", "1000"),
                bad("--visual-max-image-size", "--visual-max-image-size", "-14"),
                bad("--image-max-height", "--image-max-height", "256"),
                bad("--image-max-width", "--image-max-width", "1000"),
                bad("--image-max-batch", "--image-max-batch", "0"),
                bad("--image-strength", "--image-strength", "1.5"),
                bad("--image-sample-method", "--image-sampler", "ddim"),
                bad("--image-sampling-steps", "--image-sample-steps", "0"),
                bad("--image-schedule-method", "--image-schedule", "linear"),
                bad("--image-slg-skip-layer", "--image-slg-skip-layer", "-1"),
                bad("--image-slg-start", "--image-slg-start", "1.5"),
                bad("--image-upscale-repeats", "--image-upscale-repeats", "0"),
                bad("--rpc-server-port", "--rpc-server-port", "-1"),
                bad("--rpc-server-main-gpu", "--rpc-server-main-gpu", "-2"),
                bad("--rpc-server-reserve-memory", "--rpc-server-reserve-memory", "-1"),
                bad("--verbosity", "-lv", "loud"),
                bad("--grammar-file", "--grammar-file", "/nonexistent/llama-box/grammar.gbnf"),
                bad("--chat-template-file", "--chat-template-file", "/nonexistent/llama-box/t.jinja"),
                bad("--image-slg-start", "--image-slg-start", "0.5"),
                bad("--json-schema", "--grammar", "root ::= \"a\"", "-j", "{}"),
                bad("--bogus", "--strict-args", "--bogus"),
                bad("-x", "--strict-args", "-x"),
                bad("stray", "stray"),
                bad("--port", "--port"),
                bad("--lora-scaled", "--lora-scaled", "only-one"),
                bad("--model", "--model", "--port", "8081"),
                bad("--metrics", "--metrics=true"));
    }

    private static Arguments bad(String named, String... args) {
        return Arguments.of(String.join(" ", args), args, named);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCommandLines")
    void anInvalidCommandLineGivesOneErrorLineNamingTheFlagAndExitOne(String shown, String[] args, String named) {
        CommandLineResult result = BoxCommandLine.parse(args, Map.of());
        CommandLineResult.PrintAndExit print = assertInstanceOf(CommandLineResult.PrintAndExit.class, result);
        assertEquals(1, print.exitCode());
        assertTrue(print.isError());
        assertTrue(print.text().startsWith("error: "), print.text());
        assertTrue(print.text().contains(named), () -> "'" + print.text() + "' does not name " + named);
        assertFalse(print.text().contains("\n"), print.text());
        assertFalse(print.text().contains("Exception"), print.text());
        assertFalse(print.text().matches(".*\\bat [a-z]+\\..*\\(.*"), print.text());
    }

    @Test
    void anInvalidNumberNamesTheValueTheFlagAndTheProblem() {
        var print = (CommandLineResult.PrintAndExit) BoxCommandLine.parse(new String[] {"-np", "zero"}, Map.of());
        assertEquals("error: invalid value 'zero' for --parallel: not an integer", print.text());
    }

    @Test
    void anOutOfRangeValueSaysTheRange() {
        var print = (CommandLineResult.PrintAndExit) BoxCommandLine.parse(new String[] {"--poll", "101"}, Map.of());
        assertEquals("error: invalid value '101' for --poll: must be between 0 and 100", print.text());
    }

    @Test
    void anUnknownFlagIsNamedWithStrictArgs() {
        var print = (CommandLineResult.PrintAndExit) BoxCommandLine.parse(
                new String[] {"--strict-args", "--no-such-flag"}, Map.of());
        assertEquals("error: Unknown option: '--no-such-flag'", print.text());
    }

    @Test
    void aFlagMissingItsValueIsNamed() {
        var print = (CommandLineResult.PrintAndExit) BoxCommandLine.parse(new String[] {"-c"}, Map.of());
        assertEquals("error: --ctx-size needs a value (N)", print.text());
    }
}
