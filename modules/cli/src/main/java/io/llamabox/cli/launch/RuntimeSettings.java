package io.llamabox.cli.launch;

import io.llamabox.config.BoxSettings;
import io.llamabox.config.CacheType;
import io.llamabox.config.ContextSettings;
import io.llamabox.config.DeviceSelection;
import io.llamabox.config.LogitBias;
import io.llamabox.config.ModelSettings;
import io.llamabox.config.OffloadSettings;
import io.llamabox.config.RopeSettings;
import io.llamabox.config.SamplerType;
import io.llamabox.config.SamplingDefaults;
import io.llamabox.config.ServerSettings;
import io.llamabox.engine.EngineSettings;
import io.llamabox.jni.ContextParams;
import io.llamabox.jni.DeviceInfo;
import io.llamabox.jni.FlashAttention;
import io.llamabox.jni.GgmlType;
import io.llamabox.jni.KvOverride;
import io.llamabox.jni.Llama;
import io.llamabox.jni.ModelParams;
import io.llamabox.jni.PoolingType;
import io.llamabox.jni.RopeScaling;
import io.llamabox.jni.SplitMode;
import io.llamabox.server.EndpointFlags;
import io.llamabox.server.ServerConfig;
import io.llamabox.spi.Sampling;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns the command line's settings into what the engine, the bridge and the HTTP server take. */
final class RuntimeSettings {
    private RuntimeSettings() {
    }

    static int threads(int asked) {
        return asked > 0 ? asked : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    static ModelParams model(ModelSettings m) {
        OffloadSettings o = m.offload();
        float[] split = new float[o.tensorSplit().size()];
        for (int i = 0; i < split.length; i++) {
            split[i] = o.tensorSplit().get(i).floatValue();
        }
        List<KvOverride> overrides = new ArrayList<>();
        for (io.llamabox.config.KvOverride kv : m.kvOverrides()) {
            overrides.add(switch (kv) {
                case io.llamabox.config.KvOverride.IntValue i -> new KvOverride(i.key(), KvOverride.Kind.INT, i.value(), 0, false, null);
                case io.llamabox.config.KvOverride.FloatValue f -> new KvOverride(f.key(), KvOverride.Kind.FLOAT, 0, f.value(), false, null);
                case io.llamabox.config.KvOverride.BoolValue b -> new KvOverride(b.key(), KvOverride.Kind.BOOL, 0, 0, b.value(), null);
                case io.llamabox.config.KvOverride.StringValue t -> new KvOverride(t.key(), KvOverride.Kind.STR, 0, 0, false, t.value());
            });
        }
        int[] devices = switch (o.devices()) {
            case DeviceSelection.All all -> new int[0];
            case DeviceSelection.None none -> cpuDevices();
            case DeviceSelection.Listed listed -> deviceIndices(listed.names());
        };
        SplitMode mode = switch (o.splitMode()) {
            case NONE -> SplitMode.NONE;
            case LAYER -> SplitMode.LAYER;
            case ROW -> SplitMode.ROW;
        };
        int ngl = o.devices() instanceof DeviceSelection.None ? 0 : o.gpuLayers();
        return new ModelParams(ngl, mode, o.mainGpu(), split, devices, m.loading().mmap(), m.loading().mlock(), false,
                false, overrides);
    }

    private static int[] cpuDevices() {
        return Llama.devices().stream().filter(d -> d.type() == io.llamabox.jni.DeviceType.CPU)
                .mapToInt(DeviceInfo::index).limit(1).toArray();
    }

    private static int[] deviceIndices(List<String> names) {
        List<DeviceInfo> all = Llama.devices();
        int[] out = new int[names.size()];
        for (int i = 0; i < out.length; i++) {
            String n = names.get(i);
            out[i] = all.stream().filter(d -> d.name().equalsIgnoreCase(n)).mapToInt(DeviceInfo::index).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no device named " + n + "; --list-devices shows "
                            + all.stream().map(DeviceInfo::name).toList()));
        }
        return out;
    }

    static ContextParams context(ModelSettings m, boolean embeddings) {
        ContextSettings c = m.context();
        int threads = threads(m.threads().threads());
        int threadsBatch = threads(m.batchThreads().threads());
        int ubatch = Math.min(c.ubatchSize(), c.batchSize());
        PoolingType pooling = c.pooling().map(p -> PoolingType.valueOf(p.name())).orElse(PoolingType.UNSPECIFIED);
        ContextParams p = new ContextParams(c.size(), c.batchSize(), embeddings ? c.batchSize() : ubatch, c.parallel(),
                threads, threadsBatch, c.flashAttention() ? FlashAttention.ENABLED : FlashAttention.AUTO,
                ggml(c.cacheTypeK()), ggml(c.cacheTypeV()), embeddings, pooling, true, m.offload().kvOffload(),
                RopeScaling.UNSPECIFIED, 0, 0, -1, -1, -1, -1, 0, false, false);
        RopeSettings r = m.rope();
        RopeScaling scaling = r.scaling().map(s -> RopeScaling.valueOf(s.name())).orElse(RopeScaling.UNSPECIFIED);
        return p.withRope(scaling, (float) r.frequencyBase().orElse(0), (float) r.frequencyScale().orElse(0),
                (float) r.yarnExtFactor(), (float) r.yarnAttnFactor(), (float) r.yarnBetaFast(),
                (float) r.yarnBetaSlow(), r.yarnOriginalContext());
    }

    private static GgmlType ggml(CacheType t) {
        return GgmlType.parse(t.label());
    }

    static EngineSettings engine(BoxSettings s, String chatTemplateOverride) {
        ModelSettings m = s.model();
        return new EngineSettings(m.path(), s.server().alias().orElse(null), model(m), context(m, false),
                m.context().parallel(), m.context().continuousBatching(), m.completion().cachePrompt(),
                m.completion().cacheReuse(), (float) m.completion().slotPromptSimilarity(),
                m.completion().contextShift(), m.completion().keep(), m.loading().warmup(), m.completion().special(),
                chatTemplateOverride);
    }

    static Sampling sampling(SamplingDefaults d) {
        Map<Integer, Float> bias = new HashMap<>();
        for (LogitBias b : d.logitBias()) {
            bias.put(b.token(), (float) b.bias());
        }
        List<String> samplers = d.samplers().stream().filter(t -> t != SamplerType.INFILL).map(SamplerType::label).toList();
        return new Sampling(d.seed(), samplers, (float) d.temperature(), (float) d.dynamicTemperature().range(),
                (float) d.dynamicTemperature().exponent(), d.topK(), (float) d.topP(), (float) d.minP(),
                (float) d.typicalP(), (float) d.xtc().probability(), (float) d.xtc().threshold(),
                d.penalties().lastN(), (float) d.penalties().repeat(), (float) d.penalties().frequency(),
                (float) d.penalties().presence(), (float) d.dry().multiplier(), (float) d.dry().base(),
                d.dry().allowedLength(), d.dry().penaltyLastN(), d.dry().sequenceBreakers(),
                d.mirostat().mode().ordinal(), (float) d.mirostat().targetEntropy(),
                (float) d.mirostat().learningRate(), bias, d.grammar().orElse(null), false, List.of(), List.of(), 0);
    }

    static ServerConfig server(BoxSettings s, String version) {
        ServerSettings v = s.server();
        var e = v.endpoints();
        return new ServerConfig(v.host(), v.port(), v.timeout(), v.httpThreads(), v.connectionIdle(),
                v.connectionKeepAlive(), ServerConfig.DEFAULT_MAX_REQUEST_BYTES, v.alias(),
                new EndpointFlags(e.metrics(), e.infill(), e.embeddings(), e.rerank(), e.images(), e.slots()),
                v.slotSavePath(), v.tokensPerSecond(), sampling(s.sampling()), s.model().completion().predict(),
                s.model().completion().keep(), s.model().completion().cachePrompt(), s.model().completion().special(),
                100, 16, version);
    }
}
