package io.llamabox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.config.BoxSettings;
import io.llamabox.config.ControlVector;
import io.llamabox.config.CpuMask;
import io.llamabox.config.CpuRange;
import io.llamabox.config.DeviceSelection;
import io.llamabox.config.ImageSampleMethod;
import io.llamabox.config.KvOverride;
import io.llamabox.config.LayerRange;
import io.llamabox.config.LogitBias;
import io.llamabox.config.LoraAdapter;
import io.llamabox.config.RpcEndpoint;
import io.llamabox.config.SamplerType;
import io.llamabox.config.ThreadPriority;
import io.llamabox.config.ThreadSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParsingSemanticsTest {
    @Test
    void loraAdaptersKeepCommandLineOrderAndScalesAndTurnOffMmap() {
        BoxSettings s = settings("--lora", "a.gguf", "--lora-scaled", "b.gguf", "0.25", "--lora", "c.gguf");
        assertEquals(List.of(new LoraAdapter(Path.of("a.gguf"), 1.0), new LoraAdapter(Path.of("b.gguf"), 0.25),
                new LoraAdapter(Path.of("c.gguf"), 1.0)), s.model().loraAdapters());
        assertFalse(s.model().loading().mmap());
        assertTrue(settings("--lora", "a.gguf", "--mmap").model().loading().mmap());
    }

    @Test
    void controlVectorsAndTheirLayerRangeAreKept() {
        BoxSettings s = settings("--control-vector", "a.gguf", "--control-vector-scaled", "b.gguf", "-0.5",
                "--control-vector-layer-range", "3", "12");
        assertEquals(List.of(new ControlVector(Path.of("a.gguf"), 1.0), new ControlVector(Path.of("b.gguf"), -0.5)),
                s.model().controlVectors().vectors());
        assertEquals(Optional.of(new LayerRange(3, 12)), s.model().controlVectors().layerRange());
        // as in llama.cpp, an END of 0 means the last layer
        assertEquals(Optional.of(new LayerRange(3, 0)),
                settings("--control-vector-layer-range", "3", "0").model().controlVectors().layerRange());
    }

    @Test
    void overridesAreTypedByTheirTypeName() {
        BoxSettings s = settings("--override-kv", "a.int=int:-7", "--override-kv", "a.float=float:0.5",
                "--override-kv", "tokenizer.ggml.add_bos_token=bool:false", "--override-kv", "a.str=str:x:y=z");
        assertEquals(List.of(new KvOverride.IntValue("a.int", -7), new KvOverride.FloatValue("a.float", 0.5),
                new KvOverride.BoolValue("tokenizer.ggml.add_bos_token", false),
                new KvOverride.StringValue("a.str", "x:y=z")), s.model().kvOverrides());
    }

    @Test
    void logitBiasesAddOrSubtractAndMayBanATokenOutright() {
        BoxSettings s = settings("-l", "15043+1", "--logit-bias", "15043-1.5", "-l", "2-inf");
        assertEquals(List.of(new LogitBias(15043, 1.0), new LogitBias(15043, -1.5),
                new LogitBias(2, Double.NEGATIVE_INFINITY)), s.sampling().logitBias());
    }

    @Test
    void samplerNamesAndLettersGiveTheSameOrderedChain() {
        List<SamplerType> expected = List.of(SamplerType.MIN_P, SamplerType.TOP_K, SamplerType.TEMPERATURE);
        assertEquals(expected, settings("--samplers", "min_p;top_k;temperature").sampling().samplers());
        assertEquals(expected, settings("--samplers", "min-p;top-k;temp").sampling().samplers());
        assertEquals(expected, settings("--sampling-seq", "mkt").sampling().samplers());
        assertEquals(List.of(SamplerType.TOP_P, SamplerType.TYPICAL_P, SamplerType.INFILL),
                settings("--samplers", "nucleus;typical;infill").sampling().samplers());
    }

    @Test
    void drySequenceBreakersReplaceTheDefaultsAndNoneClearsThem() {
        assertEquals(List.of("\n", "###"),
                settings("--dry-sequence-breaker", "\\n", "--dry-sequence-breaker", "###").sampling().dry()
                        .sequenceBreakers());
        assertEquals(List.of(), settings("--dry-sequence-breaker", "none").sampling().dry().sequenceBreakers());
        assertEquals(List.of("\\n"), settings("--no-escape", "--dry-sequence-breaker", "\\n").sampling().dry()
                .sequenceBreakers(), "--no-escape leaves escapes as written");
        assertEquals(List.of("\n"), settings("--dry-sequence-breaker", "\\n", "--no-escape", "-e").sampling()
                .dry().sequenceBreakers(), "the last of -e/--no-escape decides, wherever it stands");
    }

    @Test
    void skipLayersReplaceTheDefaultsInOrder() {
        assertEquals(List.of(4, 2), settings("--image-slg-skip-layer", "4", "--image-slg-skip-layer", "2").images()
                .skipLayerGuidance().skipLayers());
    }

    @Test
    void tensorSplitTakesCommasOrSlashes() {
        assertEquals(List.of(3.0, 1.0), settings("-ts", "3,1").model().offload().tensorSplit());
        assertEquals(List.of(0.0, 0.0, 1.0, 1.0), settings("-ts", "0/0/1/1").model().offload().tensorSplit());
    }

    @Test
    void devicesAreNamedOrNone() {
        assertEquals(DeviceSelection.of(List.of("CUDA0", "RPC[10.0.0.2:50052]")),
                settings("-dev", "CUDA0,RPC[10.0.0.2:50052]").model().offload().devices());
        assertEquals(DeviceSelection.none(), settings("--device", "none").model().offload().devices());
        assertEquals(DeviceSelection.none(), settings("-devd", "none").speculative().draftDevices());
    }

    @Test
    void rpcServersAreHostPortPairs() {
        assertEquals(List.of(new RpcEndpoint("10.0.0.2", 50052), new RpcEndpoint("[::1]", 50053)),
                settings("--rpc", "10.0.0.2:50052,[::1]:50053").model().offload().rpcServers());
    }

    @Test
    void cpuMaskAndRangeSelectCpusAndBatchThreadsInheritWhatTheyDoNotSet() {
        BoxSettings s = settings("-t", "4", "-C", "0x13", "-Cr", "8-9", "--prio", "2", "--cpu-strict", "1",
                "-tb", "6", "--poll-batch", "10");
        ThreadSettings generation = s.model().threads();
        assertEquals(Optional.of(new CpuMask("13")), generation.mask());
        assertEquals(Optional.of(new CpuRange(8, 9)), generation.range());
        BitSet cpus = generation.cpus();
        assertEquals("{0, 1, 4, 8, 9}", cpus.toString());
        assertEquals(new ThreadSettings(6, generation.mask(), generation.range(), true, ThreadPriority.HIGH, 10),
                s.model().batchThreads());
        ThreadSettings ownAffinity = settings("-C", "ff", "-Crb", "2-3").model().batchThreads();
        assertEquals(Optional.empty(), ownAffinity.mask());
        assertEquals(Optional.of(new CpuRange(2, 3)), ownAffinity.range());
    }

    @Test
    void ropeScaleIsTheInverseOfTheFrequencyScale() {
        assertEquals(0.25, settings("--rope-scale", "4").model().rope().frequencyScale().orElseThrow());
        assertEquals(0.5, settings("--rope-freq-scale", "0.5").model().rope().frequencyScale().orElseThrow());
    }

    @Test
    void theLastValueOfARepeatedFlagWins() {
        assertEquals(9001, settings("--port", "9000", "--port", "9001").server().port());
        assertTrue(settings("--no-escape", "-e").model().completion().escape());
        assertFalse(settings("-e", "--no-escape").model().completion().escape());
    }

    @Test
    void negativeValuesAreTakenAsValues() {
        BoxSettings s = settings("-n", "-2", "-s", "-1", "-tps", "-1", "--rpc-server-main-gpu", "-1", "-dt", "-1");
        assertEquals(-2, s.model().completion().predict());
        assertEquals(-1, s.server().tokensPerSecond());
        assertTrue(s.rpcServer().usesHostMemory());
        assertEquals(-1.0, s.model().context().defragThreshold());
    }

    @Test
    void aValueMayBeAttachedWithAnEqualsSign() {
        assertEquals(9000, settings("--port=9000").server().port());
    }

    @Test
    void verboseLogsEverything() {
        assertTrue(settings("-v").log().verbose());
        assertEquals(3, settings("-v", "-lv", "3").log().verbosity());
    }

    @Test
    void filesAreReadWhenTheCommandLineIsParsed(@TempDir Path dir) throws Exception {
        Path grammar = Files.writeString(dir.resolve("g.gbnf"), "root ::= [0-9]+");
        Path template = Files.writeString(dir.resolve("t.jinja"), "{{ bos_token }}");
        BoxSettings s = settings("--grammar-file", grammar.toString(), "--chat-template-file", template.toString(),
                "--jinja");
        assertEquals(Optional.of("root ::= [0-9]+"), s.sampling().grammar());
        assertEquals(Optional.of("{{ bos_token }}"), s.model().chatTemplate().template());
        assertEquals(Optional.of(template), s.model().chatTemplate().file());
        assertTrue(s.model().chatTemplate().jinja());
    }

    @Test
    void aBuiltInTemplateNameIsRecognised() {
        assertTrue(settings("--chat-template", "chatml").model().chatTemplate().isBuiltInName());
        assertFalse(settings("--chat-template", "{{ x }}").model().chatTemplate().isBuiltInName());
    }

    @Test
    void imageFlagsSetTheImageEngine() {
        BoxSettings s = settings("--image-sampler", "euler_a", "--image-max-width", "2048", "--image-vae-tiling",
                "--image-no-vae-model-offload", "--image-slg-end", "0.4", "--image-slg-start", "0.3");
        assertEquals(Optional.of(ImageSampleMethod.EULER_A), s.images().sampleMethod());
        assertEquals(2048, s.images().maxWidth());
        assertTrue(s.images().vaeTiling());
        assertFalse(s.images().components().vaeOffload());
        assertEquals(0.3, s.images().skipLayerGuidance().start());
    }

    @Test
    void modeFlagsSelectTheResult() {
        assertInstanceOf(CommandLineResult.SystemInfo.class, parse("--system-info", "-ngl", "0"));
        assertInstanceOf(CommandLineResult.ListDevices.class, parse("--list-devices", "--rpc", "h:1"));
        var rpc = assertInstanceOf(CommandLineResult.RunRpcServer.class,
                parse("--rpc-server-port", "50052", "--rpc-server-reserve-memory", "1024"));
        assertEquals(1024L << 20, rpc.settings().rpcServer().reserveMemoryBytes());
        assertInstanceOf(CommandLineResult.Run.class, parse("--rpc-server-port", "0"));
    }

    @Test
    void theProcessEnvironmentOverloadParses() {
        assertInstanceOf(CommandLineResult.PrintAndExit.class, BoxCommandLine.parse(new String[] {"--version"}));
    }

    private static CommandLineResult parse(String... args) {
        return BoxCommandLine.parse(args, Map.of());
    }

    private static BoxSettings settings(String... args) {
        CommandLineResult result = parse(args);
        if (result instanceof CommandLineResult.Run run) {
            return run.settings();
        }
        throw new AssertionError("expected Run, got " + result);
    }
}
