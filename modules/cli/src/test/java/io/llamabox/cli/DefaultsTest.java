package io.llamabox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llamabox.config.BoxSettings;
import io.llamabox.config.CacheType;
import io.llamabox.config.FlashAttentionMode;
import io.llamabox.config.CompletionSettings;
import io.llamabox.config.ContextSettings;
import io.llamabox.config.DeviceSelection;
import io.llamabox.config.ImageScheduleMethod;
import io.llamabox.config.ImageSettings;
import io.llamabox.config.MirostatMode;
import io.llamabox.config.NumaStrategy;
import io.llamabox.config.SamplerType;
import io.llamabox.config.SamplingDefaults;
import io.llamabox.config.SplitMode;
import io.llamabox.config.ThreadPriority;
import io.llamabox.config.ThreadSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultsTest {
    private final BoxSettings settings = ((CommandLineResult.Run) BoxCommandLine.parse(new String[0], Map.of()))
            .settings();

    @Test
    void noArgumentsRunTheServerWithTheRecordsDefaults() {
        assertEquals(BoxSettings.defaults(), settings);
    }

    @Test
    void serverDefaultsMatchTheSpec() {
        var server = settings.server();
        assertEquals("127.0.0.1", server.host());
        assertEquals(8080, server.port());
        assertEquals(600, server.timeout().toSeconds());
        assertEquals(-1, server.httpThreads());
        assertEquals(60, server.connectionIdle().toSeconds());
        assertEquals(15, server.connectionKeepAlive().toSeconds());
        assertEquals(0, server.tokensPerSecond());
        assertTrue(server.alias().isEmpty());
        assertTrue(server.slotSavePath().isEmpty());
        var endpoints = server.endpoints();
        assertFalse(endpoints.metrics() || endpoints.infill() || endpoints.embeddings() || endpoints.images()
                || endpoints.rerank() || endpoints.slots());
    }

    @Test
    void modelDefaultsMatchTheSpec() {
        var model = settings.model();
        assertEquals(Path.of("models/7B/ggml-model-f16.gguf"), model.path());
        assertTrue(model.loraAdapters().isEmpty());
        assertFalse(model.loraInitWithoutApply());
        assertTrue(model.loading().mmap());
        assertFalse(model.loading().mlock());
        assertTrue(model.loading().warmup());
        assertEquals(NumaStrategy.DISABLED, model.loading().numa());
        assertEquals(DeviceSelection.all(), model.offload().devices());
        assertEquals(SplitMode.LAYER, model.offload().splitMode());
        assertEquals(0, model.offload().mainGpu());
        assertTrue(model.offload().kvOffload());
        assertFalse(model.chatTemplate().jinja());
        assertTrue(model.chatTemplate().template().isEmpty());
        assertTrue(model.rope().scaling().isEmpty());
        assertTrue(model.rope().frequencyBase().isEmpty());
        assertEquals(0, model.rope().yarnOriginalContext());
        assertEquals(-1.0, model.rope().yarnExtFactor());
        assertEquals(1.0, model.rope().yarnAttnFactor());
        assertEquals(32.0, model.rope().yarnBetaFast());
        assertEquals(1.0, model.rope().yarnBetaSlow());
        assertEquals(new ContextSettings(4096, 2048, 512, 1, true, CacheType.F16, CacheType.F16,
                FlashAttentionMode.AUTO, 0.1, java.util.Optional.empty(), false, false, java.util.Optional.empty()),
                model.context());
        assertEquals(List.of(), model.offload().tensorOverrides());
        assertTrue(model.offload().repack());
        assertEquals(java.util.Map.of(), model.chatTemplate().kwargs());
        assertEquals(new CompletionSettings(-1, 0, false, false, true, true, true, 0, 0.5, 0), model.completion());
    }

    @Test
    void threadDefaultsMatchTheSpecAndBatchThreadsFollowThem() {
        ThreadSettings threads = settings.model().threads();
        assertEquals(-1, threads.threads());
        assertTrue(threads.mask().isEmpty());
        assertTrue(threads.range().isEmpty());
        assertFalse(threads.strict());
        assertEquals(ThreadPriority.NORMAL, threads.priority());
        assertEquals(50, threads.poll());
        assertEquals(threads, settings.model().batchThreads());
    }

    @Test
    void samplingDefaultsMatchTheSpec() {
        SamplingDefaults s = settings.sampling();
        assertEquals(-1, s.seed());
        assertEquals(0.8, s.temperature());
        assertEquals(40, s.topK());
        assertEquals(0.9, s.topP());
        assertEquals(0.1, s.minP());
        assertEquals(0.0, s.xtc().probability());
        assertEquals(0.1, s.xtc().threshold());
        assertEquals(1.0, s.typicalP());
        assertEquals(64, s.penalties().lastN());
        assertEquals(1.0, s.penalties().repeat());
        assertEquals(0.0, s.penalties().presence());
        assertEquals(0.0, s.penalties().frequency());
        assertEquals(0.0, s.dry().multiplier());
        assertEquals(1.75, s.dry().base());
        assertEquals(2, s.dry().allowedLength());
        assertEquals(-1, s.dry().penaltyLastN());
        assertEquals(List.of("\n", ":", "\"", "*"), s.dry().sequenceBreakers());
        assertEquals(0.0, s.dynamicTemperature().range());
        assertEquals(1.0, s.dynamicTemperature().exponent());
        assertEquals(MirostatMode.DISABLED, s.mirostat().mode());
        assertEquals(0.1, s.mirostat().learningRate());
        assertEquals(5.0, s.mirostat().targetEntropy());
        assertTrue(s.grammar().isEmpty());
        assertTrue(s.jsonSchema().isEmpty());
        assertTrue(s.logitBias().isEmpty());
        assertEquals(List.of(SamplerType.PENALTIES, SamplerType.DRY, SamplerType.TOP_K, SamplerType.TYPICAL_P,
                SamplerType.TOP_P, SamplerType.MIN_P, SamplerType.XTC, SamplerType.TEMPERATURE), s.samplers());
    }

    @Test
    void theDefaultSamplerChainIsTheSpecsNameListAndLetterSequence() {
        BoxSettings byNames = ((CommandLineResult.Run) BoxCommandLine.parse(
                new String[] {"--samplers", "penalties;dry;top_k;typ_p;top_p;min_p;xtc;temperature"}, Map.of()))
                .settings();
        BoxSettings byLetters = ((CommandLineResult.Run) BoxCommandLine.parse(
                new String[] {"--sampling-seq", "edkypmxt"}, Map.of())).settings();
        assertEquals(settings, byNames);
        assertEquals(settings, byLetters);
    }

    @Test
    void speculativeVisualAndRpcDefaultsMatchTheSpec() {
        var spec = settings.speculative();
        assertEquals(16, spec.draftMax());
        assertEquals(5, spec.draftMin());
        assertEquals(0.9, spec.draftPMin());
        assertTrue(spec.draftModel().isEmpty());
        assertEquals(0, spec.lookupNgramMin());
        assertEquals(0, settings.visual().maxImageSize());
        assertTrue(settings.visual().fetchUrls(), "image URLs are fetched unless --no-visual-url-fetch");
        var rpc = settings.rpcServer();
        assertEquals("0.0.0.0", rpc.host());
        assertEquals(0, rpc.port());
        assertFalse(rpc.enabled());
        assertEquals(0, rpc.mainGpu());
        assertEquals(0, rpc.reserveMemoryMiB());
        assertEquals(0, settings.log().verbosity());
        assertFalse(settings.log().colors());
    }

    @Test
    void imageDefaultsMatchTheSpec() {
        ImageSettings images = settings.images();
        assertEquals(4, images.maxBatch());
        assertEquals(1024, images.maxHeight());
        assertEquals(1024, images.maxWidth());
        assertEquals(3.5, images.guidance());
        assertTrue(images.strength().isEmpty());
        assertTrue(images.sampleMethod().isEmpty());
        assertTrue(images.samplingSteps().isEmpty());
        assertTrue(images.cfgScale().isEmpty());
        assertEquals(List.of(7, 8, 9), images.skipLayerGuidance().skipLayers());
        assertEquals(0.01, images.skipLayerGuidance().start());
        assertEquals(0.20, images.skipLayerGuidance().end());
        assertEquals(ImageScheduleMethod.DISCRETE, images.scheduleMethod());
        assertTrue(images.components().textEncoderOffload());
        assertTrue(images.components().vaeOffload());
        assertTrue(images.components().controlNetOffload());
        assertFalse(images.vaeTiling());
        assertEquals(1, images.upscaleRepeats());
        assertEquals(0.9, images.controlStrength());
        assertFalse(images.controlCanny());
        assertFalse(images.freeComputeMemoryImmediately());
    }
}
