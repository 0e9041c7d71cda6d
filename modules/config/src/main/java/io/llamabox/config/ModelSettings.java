package io.llamabox.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The model and everything about how it is loaded, placed, and run.
 *
 * @param path the model file ({@code -m, --model})
 * @param multimodalProjector the vision projector file ({@code --mmproj})
 * @param loraAdapters LoRA adapters in command-line order; their index is the id of {@code /lora-adapters}
 * @param loraInitWithoutApply load adapters without applying them ({@code --lora-init-without-apply})
 * @param kvOverrides metadata overrides ({@code --override-kv})
 * @param loading mmap, mlock, NUMA and warm-up
 * @param offload devices, layers and splits
 * @param chatTemplate the chat template that replaces the model's
 * @param controlVectors control vectors
 * @param rope RoPE/YaRN context extension
 * @param context context, batch and KV cache
 * @param completion slot behaviour and completion defaults
 * @param threads CPU threads for generation
 * @param batchThreads CPU threads for batch and prompt processing
 */
public record ModelSettings(Path path, Optional<Path> multimodalProjector, List<LoraAdapter> loraAdapters,
        boolean loraInitWithoutApply, List<KvOverride> kvOverrides, LoadSettings loading, OffloadSettings offload,
        ChatTemplateSettings chatTemplate, ControlVectorSettings controlVectors, RopeSettings rope,
        ContextSettings context, CompletionSettings completion, ThreadSettings threads, ThreadSettings batchThreads) {
    public static final Path DEFAULT_MODEL_PATH = Path.of("models/7B/ggml-model-f16.gguf");

    public ModelSettings {
        Invariants.present("model path", path);
        Invariants.optional("multimodal projector", multimodalProjector);
        loraAdapters = Invariants.elements("LoRA adapters", loraAdapters);
        kvOverrides = Invariants.elements("metadata overrides", kvOverrides);
        Invariants.present("load settings", loading);
        Invariants.present("offload settings", offload);
        Invariants.present("chat template settings", chatTemplate);
        Invariants.present("control vector settings", controlVectors);
        Invariants.present("RoPE settings", rope);
        Invariants.present("context settings", context);
        Invariants.present("completion settings", completion);
        Invariants.present("generation threads", threads);
        Invariants.present("batch threads", batchThreads);
    }

    /** The settings that apply when nothing is given. */
    public static ModelSettings defaults() {
        return builder().build();
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects model settings; starts from the spec's defaults. */
    public static final class Builder {
        private Path path = DEFAULT_MODEL_PATH;
        private Path multimodalProjector;
        private final List<LoraAdapter> loraAdapters = new ArrayList<>();
        private boolean loraInitWithoutApply;
        private final List<KvOverride> kvOverrides = new ArrayList<>();
        private Boolean mmap;
        private boolean mlock;
        private NumaStrategy numa = NumaStrategy.DISABLED;
        private boolean warmup = true;
        private DeviceSelection devices = DeviceSelection.all();
        private int gpuLayers = -1;
        private SplitMode splitMode = SplitMode.LAYER;
        private int mainGpu;
        private List<Double> tensorSplit = List.of();
        private List<RpcEndpoint> rpcServers = List.of();
        private boolean kvOffload = true;
        private String chatTemplate;
        private Path chatTemplateFile;
        private boolean jinja;
        private final Map<String, String> chatTemplateKwargs = new LinkedHashMap<>();
        private final List<ControlVector> controlVectors = new ArrayList<>();
        private LayerRange controlVectorLayers;
        private RopeScaling ropeScaling;
        private Double ropeFrequencyBase;
        private Double ropeFrequencyScale;
        private int yarnOriginalContext;
        private double yarnExtFactor = -1.0;
        private double yarnAttnFactor = 1.0;
        private double yarnBetaFast = 32.0;
        private double yarnBetaSlow = 1.0;
        private int contextSize = 4096;
        private int batchSize = 2048;
        private int ubatchSize = 512;
        private int parallel = 1;
        private boolean continuousBatching = true;
        private CacheType cacheTypeK = CacheType.F16;
        private CacheType cacheTypeV = CacheType.F16;
        private FlashAttentionMode flashAttention = FlashAttentionMode.AUTO;
        private boolean swaFull;
        private boolean kvUnified;
        private AttentionType attention;
        private final List<TensorOverride> tensorOverrides = new ArrayList<>();
        private boolean repack = true;
        private double defragThreshold = 0.1;
        private PoolingType pooling;
        private int predict = -1;
        private int keep;
        private boolean special;
        private boolean spmInfill;
        private boolean escape = true;
        private boolean contextShift = true;
        private boolean cachePrompt = true;
        private int cacheReuse;
        private long cacheRamMiB;
        private double slotPromptSimilarity = 0.5;
        private ThreadSettings threads = ThreadSettings.defaults();
        private ThreadSettings batchThreads;

        private Builder() {
        }

        public Builder path(Path value) {
            path = value;
            return this;
        }

        public Builder multimodalProjector(Path value) {
            multimodalProjector = Objects.requireNonNull(value, "multimodal projector");
            return this;
        }

        public Builder addLoraAdapter(LoraAdapter value) {
            loraAdapters.add(Objects.requireNonNull(value, "LoRA adapter"));
            return this;
        }

        public Builder loraInitWithoutApply(boolean value) {
            loraInitWithoutApply = value;
            return this;
        }

        public Builder addKvOverride(KvOverride value) {
            kvOverrides.add(Objects.requireNonNull(value, "metadata override"));
            return this;
        }

        /** Sets memory mapping explicitly; left unset it is on unless LoRA adapters are given. */
        public Builder mmap(boolean value) {
            mmap = value;
            return this;
        }

        public Builder mlock(boolean value) {
            mlock = value;
            return this;
        }

        public Builder numa(NumaStrategy value) {
            numa = value;
            return this;
        }

        public Builder warmup(boolean value) {
            warmup = value;
            return this;
        }

        public Builder devices(DeviceSelection value) {
            devices = value;
            return this;
        }

        public Builder gpuLayers(int value) {
            gpuLayers = value;
            return this;
        }

        public Builder splitMode(SplitMode value) {
            splitMode = value;
            return this;
        }

        public Builder mainGpu(int value) {
            mainGpu = value;
            return this;
        }

        public Builder tensorSplit(List<Double> value) {
            tensorSplit = value;
            return this;
        }

        public Builder rpcServers(List<RpcEndpoint> value) {
            rpcServers = value;
            return this;
        }

        public Builder kvOffload(boolean value) {
            kvOffload = value;
            return this;
        }

        /** A built-in template name or template text; replaces an earlier template file. */
        public Builder chatTemplate(String value) {
            chatTemplate = Objects.requireNonNull(value, "chat template");
            chatTemplateFile = null;
            return this;
        }

        /** A template read from {@code file}. */
        public Builder chatTemplateFile(Path file, String content) {
            chatTemplate = Objects.requireNonNull(content, "chat template");
            chatTemplateFile = Objects.requireNonNull(file, "chat template file");
            return this;
        }

        /** Adds template variables (name to JSON text); a later one replaces an earlier one of the same name. */
        public Builder chatTemplateKwargs(Map<String, String> values) {
            chatTemplateKwargs.putAll(values);
            return this;
        }

        public Builder jinja(boolean value) {
            jinja = value;
            return this;
        }

        public Builder addControlVector(ControlVector value) {
            controlVectors.add(Objects.requireNonNull(value, "control vector"));
            return this;
        }

        public Builder controlVectorLayers(LayerRange value) {
            controlVectorLayers = Objects.requireNonNull(value, "control vector layer range");
            return this;
        }

        public Builder ropeScaling(RopeScaling value) {
            ropeScaling = Objects.requireNonNull(value, "RoPE scaling");
            return this;
        }

        public Builder ropeFrequencyBase(double value) {
            ropeFrequencyBase = value;
            return this;
        }

        public Builder ropeFrequencyScale(double value) {
            ropeFrequencyScale = value;
            return this;
        }

        public Builder yarnOriginalContext(int value) {
            yarnOriginalContext = value;
            return this;
        }

        public Builder yarnExtFactor(double value) {
            yarnExtFactor = value;
            return this;
        }

        public Builder yarnAttnFactor(double value) {
            yarnAttnFactor = value;
            return this;
        }

        public Builder yarnBetaFast(double value) {
            yarnBetaFast = value;
            return this;
        }

        public Builder yarnBetaSlow(double value) {
            yarnBetaSlow = value;
            return this;
        }

        public Builder contextSize(int value) {
            contextSize = value;
            return this;
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder ubatchSize(int value) {
            ubatchSize = value;
            return this;
        }

        public Builder parallel(int value) {
            parallel = value;
            return this;
        }

        public Builder continuousBatching(boolean value) {
            continuousBatching = value;
            return this;
        }

        public Builder cacheTypeK(CacheType value) {
            cacheTypeK = value;
            return this;
        }

        public Builder cacheTypeV(CacheType value) {
            cacheTypeV = value;
            return this;
        }

        public Builder flashAttention(FlashAttentionMode value) {
            flashAttention = Objects.requireNonNull(value, "flash attention");
            return this;
        }

        public Builder swaFull(boolean value) {
            swaFull = value;
            return this;
        }

        public Builder kvUnified(boolean value) {
            kvUnified = value;
            return this;
        }

        public Builder attention(AttentionType value) {
            attention = Objects.requireNonNull(value, "attention");
            return this;
        }

        /** Adds overrides after those already given: llama.cpp applies the first whose pattern matches. */
        public Builder addTensorOverrides(List<TensorOverride> values) {
            tensorOverrides.addAll(values);
            return this;
        }

        public Builder repack(boolean value) {
            repack = value;
            return this;
        }

        public Builder defragThreshold(double value) {
            defragThreshold = value;
            return this;
        }

        public Builder pooling(PoolingType value) {
            pooling = Objects.requireNonNull(value, "pooling");
            return this;
        }

        public Builder predict(int value) {
            predict = value;
            return this;
        }

        public Builder keep(int value) {
            keep = value;
            return this;
        }

        public Builder special(boolean value) {
            special = value;
            return this;
        }

        public Builder spmInfill(boolean value) {
            spmInfill = value;
            return this;
        }

        public Builder escape(boolean value) {
            escape = value;
            return this;
        }

        public Builder contextShift(boolean value) {
            contextShift = value;
            return this;
        }

        public Builder cachePrompt(boolean value) {
            cachePrompt = value;
            return this;
        }

        public Builder cacheRamMiB(long value) {
            cacheRamMiB = value;
            return this;
        }

        public Builder cacheReuse(int value) {
            cacheReuse = value;
            return this;
        }

        public Builder slotPromptSimilarity(double value) {
            slotPromptSimilarity = value;
            return this;
        }

        public Builder threads(ThreadSettings value) {
            threads = Objects.requireNonNull(value, "generation threads");
            return this;
        }

        /** Threads for batch and prompt processing; left unset they are the generation threads. */
        public Builder batchThreads(ThreadSettings value) {
            batchThreads = Objects.requireNonNull(value, "batch threads");
            return this;
        }

        /** The settings; fails with {@link IllegalArgumentException} naming the first invalid one. */
        public ModelSettings build() {
            boolean mapped = mmap != null ? mmap : loraAdapters.isEmpty();
            return new ModelSettings(path, Optional.ofNullable(multimodalProjector), loraAdapters,
                    loraInitWithoutApply, kvOverrides,
                    new LoadSettings(mapped, mlock, numa, warmup),
                    new OffloadSettings(devices, gpuLayers, splitMode, mainGpu, tensorSplit, rpcServers, kvOffload,
                            tensorOverrides, repack),
                    new ChatTemplateSettings(Optional.ofNullable(chatTemplate), Optional.ofNullable(chatTemplateFile),
                            jinja, chatTemplateKwargs),
                    new ControlVectorSettings(controlVectors, Optional.ofNullable(controlVectorLayers)),
                    new RopeSettings(Optional.ofNullable(ropeScaling), optional(ropeFrequencyBase),
                            optional(ropeFrequencyScale), yarnOriginalContext, yarnExtFactor, yarnAttnFactor,
                            yarnBetaFast, yarnBetaSlow),
                    new ContextSettings(contextSize, batchSize, ubatchSize, parallel, continuousBatching, cacheTypeK,
                            cacheTypeV, flashAttention, defragThreshold, Optional.ofNullable(pooling), swaFull, kvUnified,
                            Optional.ofNullable(attention)),
                    new CompletionSettings(predict, keep, special, spmInfill, escape, contextShift, cachePrompt,
                            cacheReuse, slotPromptSimilarity, cacheRamMiB),
                    threads, batchThreads != null ? batchThreads : threads);
        }

        private static OptionalDouble optional(Double value) {
            return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
        }
    }
}
