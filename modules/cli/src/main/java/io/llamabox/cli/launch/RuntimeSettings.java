package io.llamabox.cli.launch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.chat.schema.JsonSchemaGrammar;
import io.llamabox.chat.schema.SchemaException;
import io.llamabox.config.BoxSettings;
import io.llamabox.config.CacheType;
import io.llamabox.config.ContextSettings;
import io.llamabox.config.ControlVectorSettings;
import io.llamabox.config.DeviceSelection;
import io.llamabox.config.LayerRange;
import io.llamabox.config.LogitBias;
import io.llamabox.config.ModelSettings;
import io.llamabox.config.OffloadSettings;
import io.llamabox.config.RopeSettings;
import io.llamabox.config.SamplerType;
import io.llamabox.config.SamplingDefaults;
import io.llamabox.config.ServerSettings;
import io.llamabox.config.SpeculativeSettings;
import io.llamabox.config.TensorOverride;
import io.llamabox.engine.ControlVectors;
import io.llamabox.engine.EngineSettings;
import io.llamabox.engine.SpeculativeConfig;
import io.llamabox.engine.VisionConfig;
import io.llamabox.jni.AttentionType;
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
import io.llamabox.jni.TensorBufferOverride;
import io.llamabox.server.EndpointFlags;
import io.llamabox.server.ServerConfig;
import io.llamabox.spi.Sampling;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the command line's settings into what the engine, the bridge and the HTTP server take. */
final class RuntimeSettings {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeSettings.class);

    private RuntimeSettings() {
    }

    static int threads(int asked) {
        return asked > 0 ? asked : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** How the model loads: its devices, layers and split from the offload flags, and its metadata overrides. */
    static ModelParams model(ModelSettings m) {
        OffloadSettings o = m.offload();
        return params(m, o.devices(), o.gpuLayers(), o.tensorOverrides(), "model");
    }

    /**
     * How the draft model ({@code -md}) loads: like the model, but on the devices of {@code -devd} with
     * the layers of {@code -ngld}.
     */
    static ModelParams draftModel(BoxSettings s) {
        SpeculativeSettings sp = s.speculative();
        return params(s.model(), sp.draftDevices(), sp.draftGpuLayers(), sp.draftTensorOverrides(), "draft model");
    }

    /** Speculative decoding from {@code -md}, {@code --draft-*}, {@code --lookup-ngram-min}, -lcs and -lcd. */
    static SpeculativeConfig speculative(BoxSettings s) {
        SpeculativeSettings sp = s.speculative();
        return new SpeculativeConfig(sp.draftModel().orElse(null), sp.draftModel().isPresent() ? draftModel(s) : null,
                sp.draftMax(), sp.draftMin(), (float) sp.draftPMin(), sp.lookupNgramMin(),
                sp.lookupCacheStatic().orElse(null), sp.lookupCacheDynamic().orElse(null));
    }

    private static ModelParams params(ModelSettings m, DeviceSelection selection, int gpuLayers,
            List<TensorOverride> tensorOverrides, String what) {
        OffloadSettings o = m.offload();
        List<KvOverride> overrides = new ArrayList<>();
        for (io.llamabox.config.KvOverride kv : m.kvOverrides()) {
            overrides.add(switch (kv) {
                case io.llamabox.config.KvOverride.IntValue i -> new KvOverride(i.key(), KvOverride.Kind.INT, i.value(), 0, false, null);
                case io.llamabox.config.KvOverride.FloatValue f -> new KvOverride(f.key(), KvOverride.Kind.FLOAT, 0, f.value(), false, null);
                case io.llamabox.config.KvOverride.BoolValue b -> new KvOverride(b.key(), KvOverride.Kind.BOOL, 0, 0, b.value(), null);
                case io.llamabox.config.KvOverride.StringValue t -> new KvOverride(t.key(), KvOverride.Kind.STR, 0, 0, false, t.value());
            });
        }
        Backends.Loaded backends = Backends.load();
        List<DeviceInfo> all = Llama.devices();
        Placement placement = Placement.resolve(selection, gpuLayers, o.splitMode(), o.mainGpu(), o.tensorSplit(),
                backends.defaultGpuLayers(all), all, backends::explainMissingDevice);
        for (String note : placement.notes()) {
            LOG.warn("{}: {}", what, note);
        }
        LOG.info("{}: {}", what, placement.describe());
        if (!tensorOverrides.isEmpty() && (placement.offload().isEmpty() || placement.gpuLayers() == 0)) {
            LOG.warn("{}: --override-tensor/--cpu-moe change nothing here: no GPU or RPC device takes layers, so every"
                    + " weight is in host memory already", what);
        }
        SplitMode mode = switch (o.splitMode()) {
            case NONE -> SplitMode.NONE;
            case LAYER -> SplitMode.LAYER;
            case ROW -> SplitMode.ROW;
        };
        return new ModelParams(placement.gpuLayers(), mode, o.mainGpu(), Placement.shares(o.tensorSplit()),
                placement.devices(), m.loading().mmap(), m.loading().mlock(), false, false, overrides,
                bufferOverrides(tensorOverrides, what), o.repack());
    }

    /**
     * {@code -ot} and the MoE shortcuts for llama.cpp, once each buffer type is known to exist here: a name no
     * device has stops the start with the names there are.
     */
    static List<TensorBufferOverride> bufferOverrides(List<TensorOverride> overrides, String what) {
        if (overrides.isEmpty()) {
            return List.of();
        }
        List<String> types = Llama.bufferTypes();
        List<TensorBufferOverride> out = new ArrayList<>();
        for (TensorOverride o : overrides) {
            if (!types.contains(o.bufferType())) {
                throw new IllegalArgumentException(what + ": --override-tensor " + o.pattern() + "=" + o.bufferType()
                        + ": no buffer type " + o.bufferType() + " here (there are " + String.join(", ", types) + ")");
            }
            out.add(new TensorBufferOverride(o.pattern(), o.bufferType()));
        }
        LOG.info("{}: tensor buffer overrides {}", what, overrides.stream()
                .map(o -> o.pattern() + "=" + o.bufferType()).toList());
        return List.copyOf(out);
    }

    static ContextParams context(ModelSettings m, boolean embeddings) {
        ContextSettings c = m.context();
        int threads = threads(m.threads().threads());
        int threadsBatch = threads(m.batchThreads().threads());
        int ubatch = Math.min(c.ubatchSize(), c.batchSize());
        PoolingType pooling = c.pooling().map(p -> PoolingType.valueOf(p.name())).orElse(PoolingType.UNSPECIFIED);
        // Embeddings run without flash attention unless it is asked for: the CPU kernel makes a sequence's
        // vector depend (by up to 1e-2) on the other sequences in its batch, i.e. on concurrent requests.
        FlashAttention fa = switch (c.flashAttention()) {
            case ON -> FlashAttention.ENABLED;
            case OFF -> FlashAttention.DISABLED;
            case AUTO -> embeddings ? FlashAttention.DISABLED : FlashAttention.AUTO;
        };
        // --attention is the embeddings' (as in llama-box v2); text generation keeps the model's
        AttentionType attention = embeddings
                ? c.attention().map(a -> AttentionType.valueOf(a.name())).orElse(AttentionType.UNSPECIFIED)
                : AttentionType.UNSPECIFIED;
        ContextParams p = new ContextParams(c.size(), c.batchSize(), embeddings ? c.batchSize() : ubatch, c.parallel(),
                threads, threadsBatch, fa,
                ggml(c.cacheTypeK()), ggml(c.cacheTypeV()), embeddings, pooling, attention, m.offload().kvOffload(),
                RopeScaling.UNSPECIFIED, 0, 0, -1, -1, -1, -1, 0, c.kvUnified(), c.swaFull());
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
                chatTemplateOverride, controlVectors(m), m.completion().cacheRamMiB() * 1024L * 1024L);
    }

    /** {@code --control-vector*}: the files with their scales, on the layers of the range (0: the default). */
    static ControlVectors controlVectors(ModelSettings m) {
        ControlVectorSettings c = m.controlVectors();
        return new ControlVectors(c.vectors().stream()
                .map(v -> new ControlVectors.Source(v.path(), (float) v.scale())).toList(),
                c.layerRange().map(LayerRange::start).orElse(0), c.layerRange().map(LayerRange::end).orElse(0));
    }

    /**
     * The projector of {@code --mmproj} with the {@code --visual-max-image-size} limit, or null without one.
     * It may use a GPU unless {@code --device none} keeps everything on the CPU.
     */
    static VisionConfig vision(BoxSettings s) {
        ModelSettings m = s.model();
        return m.multimodalProjector().map(p -> new VisionConfig(p,
                !(m.offload().devices() instanceof DeviceSelection.None), threads(m.threads().threads()),
                s.visual().maxImageSize(), VisionConfig.DEFAULT_MAX_PIXELS)).orElse(null);
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
                (float) d.mirostat().learningRate(), bias,
                d.grammar().or(() -> d.jsonSchema().map(RuntimeSettings::schemaGrammar)).orElse(null), false, List.of(),
                List.of(), 0, (float) d.topNSigma());
    }

    /** {@code -j/--json-schema} as GBNF; a schema that is not JSON or cannot become a grammar stops the start. */
    private static String schemaGrammar(String schema) {
        JsonNode node;
        try {
            node = new ObjectMapper().readTree(schema);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("--json-schema is not valid JSON: " + e.getOriginalMessage());
        }
        try {
            return JsonSchemaGrammar.gbnf(node);
        } catch (SchemaException e) {
            throw new IllegalArgumentException("--json-schema cannot constrain the output: " + e.getMessage());
        }
    }

    static ServerConfig server(BoxSettings s, String version) {
        ServerSettings v = s.server();
        var e = v.endpoints();
        return new ServerConfig(v.host(), v.port(), v.timeout(), v.httpThreads(), v.connectionIdle(),
                v.connectionKeepAlive(), ServerConfig.DEFAULT_MAX_REQUEST_BYTES, v.alias(),
                new EndpointFlags(e.metrics(), e.infill(), e.embeddings(), e.rerank(), e.images(), e.slots()),
                v.slotSavePath(), v.tokensPerSecond(), sampling(s.sampling()), s.model().completion().predict(),
                s.model().completion().keep(), s.model().completion().cachePrompt(), s.model().completion().special(),
                100, 16, version, s.model().completion().spmInfill(), s.model().loraInitWithoutApply(),
                s.visual().fetchUrls(), new ServerConfig.ImageLimits(s.images().maxBatch(), s.images().maxWidth(),
                        s.images().maxHeight()));
    }
}
