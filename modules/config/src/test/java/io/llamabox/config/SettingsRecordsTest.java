package io.llamabox.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsRecordsTest {
    @Test
    void defaultsBuildAndAgreeWithEachOther() {
        BoxSettings defaults = BoxSettings.defaults();
        assertEquals(ServerSettings.builder().build(), defaults.server());
        assertEquals(ModelSettings.builder().build(), defaults.model());
        assertEquals(defaults.model().threads(), defaults.model().batchThreads());
        assertEquals(SamplerType.DEFAULT_CHAIN, defaults.sampling().samplers());
        assertFalse(defaults.rpcServer().enabled());
        assertFalse(defaults.visual().resizes());
    }

    @Test
    void invalidValuesAreRejectedWithTheSettingsName() {
        assertRejected("port", () -> ServerSettings.builder().port(70000).build());
        assertRejected("timeout", () -> ServerSettings.builder().timeout(Duration.ZERO).build());
        assertRejected("tokens per second", () -> ServerSettings.builder().tokensPerSecond(-2).build());
        assertRejected("context size", () -> ModelSettings.builder().contextSize(-1).build());
        assertRejected("parallel", () -> ModelSettings.builder().parallel(0).build());
        assertRejected("GPU layer", () -> ModelSettings.builder().gpuLayers(-2).build());
        assertRejected("slot prompt similarity", () -> ModelSettings.builder().slotPromptSimilarity(2).build());
        assertRejected("top-p", () -> SamplingDefaults.builder().topP(1.5).build());
        assertRejected("seed", () -> SamplingDefaults.builder().seed(1L << 32).build());
        assertRejected("temperature", () -> SamplingDefaults.builder().temperature(Double.NaN).build());
        assertRejected("lookup n-gram", () -> SpeculativeSettings.builder().lookupNgramMin(5).build());
        assertRejected("draft p-min", () -> SpeculativeSettings.builder().draftPMin(-0.1).build());
        assertRejected("image maximum width", () -> ImageSettings.builder().maxWidth(256).build());
        assertRejected("image maximum height", () -> ImageSettings.builder().maxHeight(1000).build());
        assertRejected("skip-layer guidance end", () -> ImageSettings.builder().slgStart(0.5).slgEnd(0.4).build());
        assertRejected("poll level", () -> new ThreadSettings(-1, Optional.empty(), Optional.empty(), false,
                ThreadPriority.NORMAL, 101));
        assertRejected("RPC server main GPU", () -> new RpcServerSettings("0.0.0.0", 1, -2, 0));
        assertRejected("maximum image size", () -> new VisualSettings(224));
        assertRejected("maximum image size", () -> new VisualSettings(230));
        assertRejected("RPC server port", () -> new RpcEndpoint("h", 0));
        assertRejected("layer range end", () -> new LayerRange(5, 4));
        assertEquals(0, new LayerRange(5, 0).end(), "an end of 0 is the last layer");
        assertRejected("CPU range end", () -> new CpuRange(3, 2));
        assertRejected("CPU mask", () -> new CpuMask("0xg"));
        assertRejected("device", () -> DeviceSelection.of(List.of()));
        assertRejected("DRY sequence breaker", () -> SamplingDefaults.builder().drySequenceBreakers(List.of(""))
                .build());
    }

    @Test
    void visualAndImageSizesFollowTheSpecsRules() {
        assertEquals(238, new VisualSettings(238).maxImageSize());
        assertEquals(1344, new VisualSettings(1344).maxImageSize());
        assertEquals(320, ImageSettings.builder().maxWidth(320).maxHeight(320).build().maxWidth());
    }

    @Test
    void loraAdaptersTurnMemoryMappingOffUnlessItIsSetExplicitly() {
        LoraAdapter adapter = new LoraAdapter(Path.of("a.gguf"), 1.0);
        assertFalse(ModelSettings.builder().addLoraAdapter(adapter).build().loading().mmap());
        assertTrue(ModelSettings.builder().addLoraAdapter(adapter).mmap(true).build().loading().mmap());
        assertTrue(ModelSettings.builder().build().loading().mmap());
    }

    @Test
    void batchThreadsDefaultToTheGenerationThreads() {
        ThreadSettings four = new ThreadSettings(4, Optional.empty(), Optional.empty(), true, ThreadPriority.HIGH,
                0);
        assertEquals(four, ModelSettings.builder().threads(four).build().batchThreads());
    }

    @Test
    void listsAreCopiedSoSettingsStayImmutable() {
        List<String> names = new ArrayList<>(List.of("CUDA0"));
        DeviceSelection.Listed listed = (DeviceSelection.Listed) DeviceSelection.of(names);
        names.add("CUDA1");
        assertEquals(List.of("CUDA0"), listed.names());
        assertThrows(UnsupportedOperationException.class, () -> listed.names().add("x"));
        assertThrows(UnsupportedOperationException.class,
                () -> BoxSettings.defaults().sampling().samplers().add(SamplerType.XTC));
    }

    @Test
    void cpuMaskBitsCountFromTheLastHexDigit() {
        CpuMask mask = new CpuMask("0X1F0");
        assertEquals("1f0", mask.hex());
        assertEquals("{4, 5, 6, 7, 8}", mask.cpus().toString());
        assertEquals("{2, 3, 4}", new CpuRange(2, 4).cpus().toString());
    }

    @Test
    void overridesRespectLlamaCppsBufferSizes() {
        assertRejected("override key", () -> new KvOverride.IntValue("k".repeat(128), 1));
        assertEquals(127, new KvOverride.IntValue("k".repeat(127), 1).key().length());
        assertRejected("override value", () -> new KvOverride.StringValue("k", "é".repeat(64)));
        assertRejected("override value", () -> new KvOverride.FloatValue("k", Double.POSITIVE_INFINITY));
    }

    @Test
    void aGrammarAndAJsonSchemaExcludeEachOther() {
        assertRejected("grammar", () -> SamplingDefaults.builder().grammar("root ::= \"a\"").jsonSchema("{}")
                .build());
        assertTrue(SamplingDefaults.builder().grammar("").jsonSchema("{}").build().grammar().isEmpty());
    }

    @Test
    void samplerTypesResolveByNameAliasAndLetter() {
        assertEquals(Optional.of(SamplerType.TYPICAL_P), SamplerType.fromName("typ_p"));
        assertEquals(Optional.of(SamplerType.TOP_P), SamplerType.fromName("nucleus"));
        assertEquals(Optional.of(SamplerType.PENALTIES), SamplerType.fromLetter('e'));
        assertEquals(Optional.empty(), SamplerType.fromName("mirostat"));
        StringBuilder letters = new StringBuilder();
        SamplerType.DEFAULT_CHAIN.forEach(t -> letters.append(t.letter()));
        assertEquals("edkypmxt", letters.toString());
    }

    @Test
    void enumsResolveTheirCommandLineLabels() {
        assertEquals(Optional.of(CacheType.IQ4_NL), CacheType.fromLabel("iq4_nl"));
        assertEquals(Optional.of(ImageSampleMethod.DPMPP_2S_A), ImageSampleMethod.fromLabel("dpm++2s_a"));
        assertEquals(Optional.of(ImageScheduleMethod.AYS), ImageScheduleMethod.fromLabel("ays"));
        assertEquals(Optional.of(SplitMode.ROW), SplitMode.fromLabel("row"));
        assertEquals(Optional.of(PoolingType.RANK), PoolingType.fromLabel("rank"));
        assertEquals(Optional.of(RopeScaling.YARN), RopeScaling.fromLabel("yarn"));
        assertEquals(Optional.of(NumaStrategy.NUMACTL), NumaStrategy.fromLabel("numactl"));
        assertEquals(Optional.of(ThreadPriority.REALTIME), ThreadPriority.fromLevel(3));
        assertEquals(Optional.of(MirostatMode.MIROSTAT_V2), MirostatMode.fromCode(2));
        assertEquals(Optional.empty(), CacheType.fromLabel("F16"));
        assertEquals(Optional.empty(), ThreadPriority.fromLevel(4));
    }

    @Test
    void rpcServerModeIsOnWithAPortAndReservesMebibytes() {
        RpcServerSettings rpc = new RpcServerSettings("0.0.0.0", 50052, -1, 1024);
        assertTrue(rpc.enabled());
        assertTrue(rpc.usesHostMemory());
        assertEquals(1L << 30, rpc.reserveMemoryBytes());
        assertEquals("10.0.0.2:50052", new RpcEndpoint("10.0.0.2", 50052).toString());
    }

    @Test
    void aChatTemplateFileCarriesItsText() {
        ModelSettings model = ModelSettings.builder().chatTemplateFile(Path.of("t.jinja"), "{{ x }}").build();
        assertEquals(Optional.of("{{ x }}"), model.chatTemplate().template());
        assertEquals(Optional.of(Path.of("t.jinja")), model.chatTemplate().file());
        ModelSettings replaced = ModelSettings.builder().chatTemplateFile(Path.of("t.jinja"), "{{ x }}")
                .chatTemplate("chatml").build();
        assertEquals(Optional.empty(), replaced.chatTemplate().file());
        assertTrue(replaced.chatTemplate().isBuiltInName());
    }

    private static void assertRejected(String named, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().contains(named), () -> "'" + e.getMessage() + "' does not name " + named);
    }

    /** A constructor call that is expected to throw. */
    @FunctionalInterface
    private interface Executable {
        void run();
    }
}
