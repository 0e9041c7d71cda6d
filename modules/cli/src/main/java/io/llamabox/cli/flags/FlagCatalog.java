package io.llamabox.cli.flags;

import io.llamabox.config.AttentionType;
import io.llamabox.config.CacheType;
import io.llamabox.config.ControlVector;
import io.llamabox.config.FlashAttentionMode;
import io.llamabox.config.ImageSampleMethod;
import io.llamabox.config.ImageScheduleMethod;
import io.llamabox.config.LayerRange;
import io.llamabox.config.LogSettings;
import io.llamabox.config.LoraAdapter;
import io.llamabox.config.MirostatMode;
import io.llamabox.config.NumaStrategy;
import io.llamabox.config.PoolingType;
import io.llamabox.config.RopeScaling;
import io.llamabox.config.SamplingDefaults;
import io.llamabox.config.SpeculativeSettings;
import io.llamabox.config.SplitMode;
import io.llamabox.config.TensorOverride;
import io.llamabox.config.ThreadPriority;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Every flag of {@code llama-box} and every environment variable, in the order the usage text shows them.
 * Descriptions and defaults follow the product's README.
 */
public final class FlagCatalog {
    /** The flag that prints the usage text. */
    public static final String HELP = "--help";
    /** The flag that prints the version. */
    public static final String VERSION = "--version";
    /**
     * Flags of this server that the C++ llama-box lacks. {@code --no-visual-url-fetch}: deployments that
     * must not reach out to URLs a client names accept images only inline. {@code --cache-ram}: prompt
     * states kept in memory after their slot gave them up (the name and meaning of llama.cpp's server).
     * {@code --shutdown-grace}: how long running answers may go on after SIGTERM (see README, Reliability).
     */
    public static final List<String> EXTENSIONS = List.of("--no-visual-url-fetch", "--cache-ram", "--strict-args",
            "--origin-rpc-server-main-gpu", "--shutdown-grace");
    /** The flag that refuses unknown flags instead of warning about them. */
    public static final String STRICT_ARGS = "--strict-args";
    /**
     * Flags of the C++ llama-box's last release (v2) that the spec (an earlier README) lacks; its reasoning
     * flags are not among them.
     */
    public static final List<String> V2_FLAGS = List.of("--list-buffer-types", "--no-flash-attn", "--swa-full",
            "-kvu", "--kv-unified", "-ot", "--override-tensor", "-otd", "--override-tensor-draft",
            "--chat-template-kwargs", "--context-shift", "--top-nsigma", "-cmoe", "--cpu-moe", "-ncmoe",
            "--n-cpu-moe", "-cmoed", "--cpu-moe-draft", "-ncmoed", "--n-cpu-moe-draft", "-nr", "--no-repack",
            "--visual-max-image-cache", "--max-projected-cache", "--attention", "--rpc-server-threads",
            "--rpc-server-cache", "--rpc-server-cache-dir");

    private static final FlagCatalog INSTANCE = new FlagCatalog();

    private final List<Flag> flags = new ArrayList<>();
    private final Map<String, Flag> byName = new LinkedHashMap<>();
    private final List<EnvVariable> environment = new ArrayList<>();
    private Section section = Section.GENERAL;

    private FlagCatalog() {
        general();
        server();
        completion();
        speculative();
        visual();
        embedding();
        images();
        rpcServer();
        variables();
    }

    /** Every flag, in usage order. */
    public static List<Flag> flags() {
        return Collections.unmodifiableList(INSTANCE.flags);
    }

    /** Every environment variable, in usage order. */
    public static List<EnvVariable> environment() {
        return Collections.unmodifiableList(INSTANCE.environment);
    }

    /** The flag with this name (any of its spellings). */
    public static Optional<Flag> byName(String name) {
        return Optional.ofNullable(INSTANCE.byName.get(name));
    }

    // ---- general ----

    private void general() {
        section = Section.GENERAL;
        // help and version change no setting: BoxCommandLine looks for them before applying any value
        flag("-h", HELP, "--usage").help("Print usage and exit").sets(d -> { });
        flag(VERSION).help("Print version and exit").sets(d -> { });
        flag("--system-info").help("Print system info and exit").sets(d -> d.systemInfo = true);
        flag("--list-devices").help("Print list of available devices and exit").sets(d -> d.listDevices = true);
        flag("--list-buffer-types").help("Print list of available buffer types (for --override-tensor) and exit")
                .sets(d -> d.listBufferTypes = true);
        // read by BoxCommandLine before the scan: it decides how unknown flags are scanned
        flag(STRICT_ARGS)
                .help("Refuse unknown flags (default: warn once per unknown flag, skip it and the values after it,"
                        + " and go on)")
                .sets(d -> { });
        flag("-v", "--verbose", "--log-verbose")
                .help("Set verbosity level to infinity (i.e. log all messages, useful for debugging)")
                .sets(d -> d.verbosity = LogSettings.LOG_EVERYTHING);
        flag("-lv", "--verbosity", "--log-verbosity").value("V")
                .help("Set the verbosity threshold, messages with a higher verbosity will be ignored")
                .then((d, v) -> d.verbosity = Parse.integer(v, Integer.MIN_VALUE, Integer.MAX_VALUE));
        flag("--log-colors").help("Enable colored logging").sets(d -> d.logColors = true);
    }

    // ---- server ----

    private void server() {
        section = Section.SERVER;
        flag("--host").value("HOST").help("IP address to listen (default: 127.0.0.1)")
                .then((d, v) -> d.server.host(Parse.nonBlank(v)));
        flag("--port").value("PORT").help("Port to listen (default: 8080)")
                .then((d, v) -> d.server.port(Parse.integer(v, 0, 65535)));
        flag("-to", "--timeout").value("N").help("Server read/write timeout in seconds (default: 600)")
                .then((d, v) -> d.server.timeout(Duration.ofSeconds(Parse.atLeast(v, 1))));
        flag("--threads-http").value("N").help("Number of threads used to process HTTP requests (default: -1)")
                .then((d, v) -> d.server.httpThreads(Parse.automaticOrAtLeast(v, 1)));
        flag("--conn-idle").value("N").help("Server connection idle in seconds (default: 60)")
                .then((d, v) -> d.server.connectionIdle(Duration.ofSeconds(Parse.atLeast(v, 1))));
        flag("--conn-keepalive").value("N").help("Server connection keep-alive in seconds (default: 15)")
                .then((d, v) -> d.server.connectionKeepAlive(Duration.ofSeconds(Parse.atLeast(v, 0))));
        flag("--shutdown-grace").value("N")
                .help("Seconds that running generations may go on after SIGTERM or SIGINT before they end with an"
                        + " error chunk; new and waiting requests get 503 at once (default: 5; an extension)")
                .then((d, v) -> d.server.shutdownGrace(Duration.ofSeconds(Parse.atLeast(v, 0))));
        flag("-m", "--model").value("FILE").help("Model path (default: models/7B/ggml-model-f16.gguf)")
                .then((d, v) -> d.model.path(Parse.path(v)));
        flag("-a", "--alias", "--model-alias").value("NAME").help("Model name alias")
                .then((d, v) -> d.server.alias(Parse.nonBlank(v)));
        flag("--lora").value("FILE").help("Apply LoRA adapter (implies --no-mmap)")
                .then((d, v) -> d.model.addLoraAdapter(new LoraAdapter(Parse.path(v), 1.0)));
        flag("--lora-scaled").values("FILE SCALE", 2)
                .help("Apply LoRA adapter with user defined scaling SCALE (implies --no-mmap)")
                .then((d, file, scale) -> d.model.addLoraAdapter(
                        new LoraAdapter(Parse.path(file), Parse.decimal(scale))));
        flag("--lora-init-without-apply")
                .help("Load LoRA adapters without applying them (apply later via POST /lora-adapters)"
                        + " (default: disabled)")
                .sets(d -> d.model.loraInitWithoutApply(true));
        flag("-s", "--seed").value("N").help("RNG seed (default: -1, use random seed for -1)")
                .then((d, v) -> d.sampling.seed(Parse.integer(v, SamplingDefaults.RANDOM_SEED,
                        SamplingDefaults.MAX_SEED)));
        flag("--no-flash-attn").help("Disable Flash Attention, which can increase (V)RAM but reduce computation")
                .sets(d -> d.model.flashAttention(FlashAttentionMode.OFF));
        flag("-fa", "--flash-attn")
                .help("Enable Flash Attention, which can reduce (V)RAM but increase computation",
                        "(default: neither flag: llama.cpp decides per model and device; embeddings: disabled)")
                .sets(d -> d.model.flashAttention(FlashAttentionMode.ON));
        flag("--swa-full").help("Use full-size SWA cache (default: disabled)").sets(d -> d.model.swaFull(true));
        flag("-kvu", "--kv-unified")
                .help("Use single unified KV buffer for the KV cache of all sequences (default: disabled)")
                .sets(d -> d.model.kvUnified(true));
        flag("--metrics").help("Enable prometheus compatible metrics endpoint (default: disabled)")
                .sets(d -> d.server.metrics(true));
        flag("--infill").help("Enable infill endpoint (default: disabled)").sets(d -> d.server.infill(true));
        flag("--embeddings").help("Enable embedding endpoint (default: disabled)")
                .sets(d -> d.server.embeddings(true));
        flag("--images").help("Enable image endpoint (default: disabled)").sets(d -> d.server.images(true));
        flag("--rerank").help("Enable reranking endpoint (default: disabled)").sets(d -> d.server.rerank(true));
        flag("--slots").help("Enable slots monitoring endpoint (default: disabled)")
                .sets(d -> d.server.slots(true));
        flag("--rpc").value("SERVERS").help("A comma-separated list of RPC server, e.g. 10.0.0.2:50052,10.0.0.3:50052")
                .then((d, v) -> d.model.rpcServers(Parse.rpcServers(v)));
        flag("-ts", "--tensor-split").value("SPLIT")
                .help("Fraction of the model to offload to each device, comma-separated list of proportions,"
                        + " e.g. 3,1",
                        "For image models, indicate which device should be able to offload")
                .then((d, v) -> d.model.tensorSplit(Parse.proportions(v)));
        flag("-ngl", "--gpu-layers", "--n-gpu-layers").value("N")
                .help("Number of layers to store in VRAM", "'-ngl 0' means no offloading")
                .then((d, v) -> d.model.gpuLayers(Parse.automaticOrAtLeast(v, 0)));
        flag("-ot", "--override-tensor").value("PATTERN_1=BUFFER_TYPE_1,PATTERN_2=BUFFER_TYPE_2,...")
                .help("Override tensor buffer type, for example, use --override-tensor \"[2-9][0-9]\\.ffn_.*_exps\\.=CPU\""
                        + " to keep experts of layers 20-99 in the CPU; may be specified multiple times",
                        "Use --list-buffer-types to see the buffer types")
                .then((d, v) -> d.model.addTensorOverrides(Parse.tensorOverrides(v)));
        flag("-otd", "--override-tensor-draft").value("PATTERN_1=BUFFER_TYPE_1,PATTERN_2=BUFFER_TYPE_2,...")
                .help("Override tensor buffer type for draft model, as --override-tensor")
                .then((d, v) -> d.speculative.addDraftTensorOverrides(Parse.tensorOverrides(v)));
        flag("--no-warmup").help("Skip warming up the model with an empty run").sets(d -> d.model.warmup(false));
        flag("--warmup")
                .help("Enable warming up the model with an empty run, which is used to occupy the (V)RAM before"
                        + " serving")
                .sets(d -> d.model.warmup(true));
    }

    // ---- server/completion ----

    private void completion() {
        section = Section.COMPLETION;
        flag("-dev", "--device").value("<dev1,dev2,...>")
                .help("A comma-separated list of devices to use for offloading (none = don't offload)",
                        "Use --list-devices to see a list of available devices")
                .then((d, v) -> d.model.devices(Parse.devices(v)));
        flag("-sm", "--split-mode").value("SPLIT_MODE")
                .help("How to split the model across multiple GPUs, one of:",
                        "- none: use one GPU only",
                        "- layer (default): split layers and KV across GPUs",
                        "- row: split rows across GPUs, store intermediate results and KV in --main-gpu")
                .then((d, v) -> d.model.splitMode(Parse.choice(v, SplitMode::fromLabel, SplitMode.labels())));
        flag("-mg", "--main-gpu").value("N")
                .help("The device to use for the model",
                        "Work with --split-mode none|row, or indicate the device to offload projector model"
                                + " specified by --mmproj (default: 0)")
                .then((d, v) -> d.model.mainGpu(Parse.atLeast(v, 0)));
        flag("--override-kv").value("KEY=TYPE:VALUE")
                .help("Advanced option to override model metadata by key, may be specified multiple times",
                        "Types: int, float, bool, str. example: --override-kv tokenizer.ggml.add_bos_token=bool:false")
                .then((d, v) -> d.model.addKvOverride(Parse.kvOverride(v)));
        flag("--chat-template").value("JINJA_TEMPLATE")
                .help("Set custom jinja chat template (default: template taken from model's metadata)",
                        "Only commonly used templates are accepted (unless --jinja is set)",
                        "List of built-in templates:",
                        "chatglm3, chatglm4, chatml, command-r, deepseek, deepseek2, deepseek3, exaone3, falcon,",
                        "falcon3, gemma, gigachat, granite, llama2, llama2-sys, llama2-sys-bos, llama2-sys-strip,",
                        "llama3, llava, llava-mistral, megrez, minicpm, mistral-v1, mistral-v3, mistral-v3-tekken,",
                        "mistral-v7, monarch, openchat, orion, phi3, phi4, rwkv-world, vicuna, vicuna-orca, zephyr")
                .then((d, v) -> d.model.chatTemplate(Parse.nonBlank(v)));
        flag("--chat-template-file").value("FILE")
                .help("Set a file to load a custom jinja chat template (default: template taken from model's"
                        + " metadata)",
                        "Only commonly used templates are accepted (unless --jinja is set)")
                .then((d, v) -> {
                    Path file = Parse.path(v);
                    d.model.chatTemplateFile(file, Parse.nonBlank(Parse.fileContent(file)));
                });
        flag("--jinja").help("Use jinja template for chat (default: disabled)").sets(d -> d.model.jinja(true));
        flag("--chat-template-kwargs").value("STRING")
                .help("Set additional params for the jinja template in JSON format, e.g."
                        + " --chat-template-kwargs \"{\\\"enable_thinking\\\":false}\"",
                        "A request's chat_template_kwargs override them name by name")
                .then((d, v) -> d.model.chatTemplateKwargs(Parse.jsonObjectMembers(v)));
        flag("--slot-save-path").value("PATH").help("Path to save slot kv cache (default: disabled)")
                .then((d, v) -> d.server.slotSavePath(Parse.path(v)));
        flag("-sps", "--slot-prompt-similarity").value("N")
                .help("How much the prompt of a request must match the prompt of a slot in order to use that slot"
                        + " (default: 0.50, 0.0 = disabled)")
                .then((d, v) -> d.model.slotPromptSimilarity(Parse.decimal(v, 0.0, 1.0)));
        flag("-tps", "--tokens-per-second").value("N")
                .help("Maximum number of tokens per second (default: 0, 0 = disabled, -1 = try to detect)",
                        "When enabled, limit the request within its X-Request-Tokens-Per-Second HTTP header")
                .then((d, v) -> d.server.tokensPerSecond(Parse.atLeast(v, -1)));
        threadFlags("", "", "Number of threads to use during generation (default: -1)",
                "Set CPU affinity mask: arbitrarily long hex. Complements cpu-range (default: \"\")",
                "Range of CPUs for affinity. Complements --cpu-mask",
                "Use strict CPU placement (default: 0)",
                List.of("Set process/thread priority (default: 0), one of:", "- 0-normal", "- 1-medium", "- 2-high",
                        "- 3-realtime"),
                "Use polling level to wait for work (0 - no polling, default: 50)", d -> d.threads);
        threadFlags("b", "-batch", "Number of threads to use during batch and prompt processing"
                        + " (default: same as --threads)",
                "Set CPU affinity mask: arbitrarily long hex. Complements cpu-range-batch"
                        + " (default: same as --cpu-mask)",
                "Ranges of CPUs for affinity. Complements --cpu-mask-batch",
                "Use strict CPU placement (default: same as --cpu-strict)",
                List.of("Set process/thread priority: 0-normal, 1-medium, 2-high, 3-realtime"
                        + " (default: same as --prio)"),
                "Use polling to wait for work (default: same as --poll)", d -> d.batchThreads);
        flag("-c", "--ctx-size").value("N").help("Size of the prompt context (default: 4096, 0 = loaded from model)")
                .then((d, v) -> d.model.contextSize(Parse.atLeast(v, 0)));
        flag("--no-context-shift")
                .help("Disables context shift on infinite text generation (default: disabled)")
                .sets(d -> d.model.contextShift(false));
        flag("--context-shift")
                .help("Enable context shift on infinite text generation (default: enabled, as the spec says)")
                .sets(d -> d.model.contextShift(true));
        flag("-n", "--predict").value("N")
                .help("Number of tokens to predict (default: -1, -1 = infinity, -2 = until context filled)")
                .then((d, v) -> d.model.predict(Parse.atLeast(v, -2)));
        flag("-b", "--batch-size").value("N")
                .help("Logical batch size.",
                        "Increasing this value above the value of the physical batch size may improve prompt"
                                + " processing",
                        "performance when using multiple GPUs with pipeline parallelism. (default: 2048)")
                .then((d, v) -> d.model.batchSize(Parse.atLeast(v, 1)));
        flag("-ub", "--ubatch-size").value("N")
                .help("Physical batch size, which is the maximum number of tokens that may be processed at a time.",
                        "Increasing this value may improve performance during prompt processing, at the expense of",
                        "higher memory usage. (default: 512)")
                .then((d, v) -> d.model.ubatchSize(Parse.atLeast(v, 1)));
        flag("--keep").value("N").help("Number of tokens to keep from the initial prompt (default: 0, -1 = all)")
                .then((d, v) -> d.model.keep(Parse.atLeast(v, -1)));
        flag("-e", "--escape").help("Process escapes sequences (\\n, \\r, \\t, \\', \\\", \\\\) (default: true)")
                .sets(d -> d.escape(true));
        flag("--no-escape").help("Do not process escape sequences").sets(d -> d.escape(false));
        flag("--samplers").value("SAMPLERS")
                .help("Samplers that will be used for generation in the order, separated by ';'",
                        "(default: penalties;dry;top_k;typ_p;top_p;min_p;xtc;temperature)")
                .then((d, v) -> d.sampling.samplers(Parse.samplerNames(v)));
        flag("--sampling-seq").value("SEQUENCE")
                .help("Simplified sequence for samplers that will be used (default: edkypmxt)")
                .then((d, v) -> d.sampling.samplers(Parse.samplerLetters(v)));
        flag("--temp").value("T").help("Temperature (default: 0.8)")
                .then((d, v) -> d.sampling.temperature(Parse.decimal(v)));
        flag("--top-k").value("N").help("Top-K sampling (default: 40, 0 = disabled)")
                .then((d, v) -> d.sampling.topK(Parse.atLeast(v, 0)));
        flag("--top-p").value("P").help("Top-P sampling (default: 0.9, 1.0 = disabled)")
                .then((d, v) -> d.sampling.topP(Parse.decimal(v, 0.0, 1.0)));
        flag("--min-p").value("P").help("Min-P sampling (default: 0.1, 0.0 = disabled)")
                .then((d, v) -> d.sampling.minP(Parse.decimal(v, 0.0, 1.0)));
        flag("--top-nsigma").value("N").help("Top-N-Sigma sampling (default: -1.0, -1.0 = disabled)")
                .then((d, v) -> d.sampling.topNSigma(Parse.decimal(v)));
        flag("--xtc-probability").value("N").help("XTC probability (default: 0.0, 0.0 = disabled)")
                .then((d, v) -> d.sampling.xtcProbability(Parse.decimal(v, 0.0, 1.0)));
        flag("--xtc-threshold").value("N").help("XTC threshold (default: 0.1, 1.0 = disabled)")
                .then((d, v) -> d.sampling.xtcThreshold(Parse.decimal(v, 0.0, 1.0)));
        flag("--typical").value("P").help("Locally typical sampling, parameter p (default: 1.0, 1.0 = disabled)")
                .then((d, v) -> d.sampling.typicalP(Parse.decimal(v, 0.0, 1.0)));
        flag("--repeat-last-n").value("N")
                .help("Last n tokens to consider for penalize (default: 64, 0 = disabled, -1 = ctx_size)")
                .then((d, v) -> d.sampling.repeatLastN(Parse.atLeast(v, -1)));
        flag("--repeat-penalty").value("N").help("Penalize repeat sequence of tokens (default: 1.0, 1.0 = disabled)")
                .then((d, v) -> d.sampling.repeatPenalty(Parse.atLeast(v, 0.0)));
        flag("--presence-penalty").value("N").help("Repeat alpha presence penalty (default: 0.0, 0.0 = disabled)")
                .then((d, v) -> d.sampling.presencePenalty(Parse.decimal(v)));
        flag("--frequency-penalty").value("N").help("Repeat alpha frequency penalty (default: 0.0, 0.0 = disabled)")
                .then((d, v) -> d.sampling.frequencyPenalty(Parse.decimal(v)));
        flag("--dry-multiplier").value("N").help("Set DRY sampling multiplier (default: 0.0, 0.0 = disabled)")
                .then((d, v) -> d.sampling.dryMultiplier(Parse.atLeast(v, 0.0)));
        flag("--dry-base").value("N").help("Set DRY sampling base value (default: 1.75)")
                .then((d, v) -> d.sampling.dryBase(Parse.atLeast(v, 0.0)));
        flag("--dry-allowed-length").value("N").help("Set allowed length for DRY sampling (default: 2)")
                .then((d, v) -> d.sampling.dryAllowedLength(Parse.atLeast(v, 0)));
        flag("--dry-penalty-last-n").value("N")
                .help("Set DRY penalty for the last n tokens (default: -1, 0 = disable, -1 = context size)")
                .then((d, v) -> d.sampling.dryPenaltyLastN(Parse.atLeast(v, -1)));
        flag("--dry-sequence-breaker").value("STRING")
                .help("Add sequence breaker for DRY sampling, clearing out default breakers ('\\n', ':', '\"', '*')",
                        "in the process; use \"none\" to not use any sequence breakers; may be specified multiple"
                                + " times")
                .then((d, v) -> d.addDrySequenceBreaker(Parse.nonEmpty(v)));
        flag("--dynatemp-range").value("N").help("Dynamic temperature range (default: 0.0, 0.0 = disabled)")
                .then((d, v) -> d.sampling.dynamicTemperatureRange(Parse.atLeast(v, 0.0)));
        flag("--dynatemp-exp").value("N").help("Dynamic temperature exponent (default: 1.0)")
                .then((d, v) -> d.sampling.dynamicTemperatureExponent(Parse.decimal(v)));
        flag("--mirostat").value("N")
                .help("Use Mirostat sampling, Top K, Nucleus, Tail Free and Locally Typical samplers are ignored if"
                        + " used",
                        "(default: 0, 0 = disabled, 1 = Mirostat, 2 = Mirostat 2.0)")
                .then((d, v) -> d.sampling.mirostat(MirostatMode.fromCode(Parse.integer(v, 0, 2)).orElseThrow()));
        flag("--mirostat-lr").value("N").help("Mirostat learning rate, parameter eta (default: 0.1)")
                .then((d, v) -> d.sampling.mirostatLearningRate(Parse.atLeast(v, 0.0)));
        flag("--mirostat-ent").value("N").help("Mirostat target entropy, parameter tau (default: 5.0)")
                .then((d, v) -> d.sampling.mirostatTargetEntropy(Parse.atLeast(v, 0.0)));
        flag("-l", "--logit-bias").value("TOKEN_ID(+/-)BIAS")
                .help("Modifies the likelihood of token appearing in the completion,",
                        "i.e. \"--logit-bias 15043+1\" to increase likelihood of token ' Hello',",
                        "or \"--logit-bias 15043-1\" to decrease likelihood of token ' Hello'")
                .then((d, v) -> d.sampling.addLogitBias(Parse.logitBias(v)));
        flag("--grammar").value("GRAMMAR")
                .help("BNF-like grammar to constrain generations (see samples in grammars/ dir) (default: '')")
                .then((d, v) -> d.grammar(v));
        flag("--grammar-file").value("FILE").help("File to read grammar from")
                .then((d, v) -> d.grammar(Parse.fileContent(Parse.path(v))));
        flag("-j", "--json-schema").value("SCHEMA")
                .help("JSON schema to constrain generations (https://json-schema.org/), e.g. `{}` for any JSON"
                        + " object",
                        "For schemas w/ external $refs, use --grammar + example/json_schema_to_grammar.py instead")
                .then((d, v) -> d.jsonSchema(v));
        flag("--rope-scaling").value("{none,linear,yarn}")
                .help("RoPE frequency scaling method, defaults to linear unless specified by the model")
                .then((d, v) -> d.model.ropeScaling(Parse.choice(v, RopeScaling::fromLabel, RopeScaling.labels())));
        flag("--rope-scale").value("N").help("RoPE context scaling factor, expands context by a factor of N")
                .then((d, v) -> d.model.ropeFrequencyScale(1.0 / Parse.positive(v)));
        flag("--rope-freq-base").value("N")
                .help("RoPE base frequency, used by NTK-aware scaling (default: loaded from model)")
                .then((d, v) -> d.model.ropeFrequencyBase(Parse.positive(v)));
        flag("--rope-freq-scale").value("N")
                .help("RoPE frequency scaling factor, expands context by a factor of 1/N")
                .then((d, v) -> d.model.ropeFrequencyScale(Parse.positive(v)));
        flag("--yarn-orig-ctx").value("N")
                .help("YaRN original context size of model (default: 0 = model training context size)")
                .then((d, v) -> d.model.yarnOriginalContext(Parse.atLeast(v, 0)));
        flag("--yarn-ext-factor").value("N")
                .help("YaRN extrapolation mix factor (default: -1.0, 0.0 = full interpolation)")
                .then((d, v) -> d.model.yarnExtFactor(Parse.decimal(v)));
        flag("--yarn-attn-factor").value("N").help("YaRN scale sqrt(t) or attention magnitude (default: 1.0)")
                .then((d, v) -> d.model.yarnAttnFactor(Parse.decimal(v)));
        flag("--yarn-beta-fast").value("N").help("YaRN low correction dim or beta (default: 32.0)")
                .then((d, v) -> d.model.yarnBetaFast(Parse.decimal(v)));
        flag("--yarn-beta-slow").value("N").help("YaRN high correction dim or alpha (default: 1.0)")
                .then((d, v) -> d.model.yarnBetaSlow(Parse.decimal(v)));
        flag("-nkvo", "--no-kv-offload").help("Disable KV offload").sets(d -> d.model.kvOffload(false));
        flag("--no-cache-prompt").help("Disable caching prompt").sets(d -> d.model.cachePrompt(false));
        flag("-cmoe", "--cpu-moe").help("Keep all Mixture of Experts (MoE) weights in the CPU")
                .sets(d -> d.model.addTensorOverrides(TensorOverride.expertsOnCpu(-1)));
        flag("-ncmoe", "--n-cpu-moe").value("N")
                .help("Keep the Mixture of Experts (MoE) weights of the first N layers in the CPU")
                .then((d, v) -> d.model.addTensorOverrides(TensorOverride.expertsOnCpu(Parse.integer(v, 0, 4096))));
        flag("-cmoed", "--cpu-moe-draft").help("Keep all Mixture of Experts (MoE) weights in the CPU for draft model")
                .sets(d -> d.speculative.addDraftTensorOverrides(TensorOverride.expertsOnCpu(-1)));
        flag("-ncmoed", "--n-cpu-moe-draft").value("N")
                .help("Keep the Mixture of Experts (MoE) weights of the first N layers in the CPU for draft model")
                .then((d, v) -> d.speculative.addDraftTensorOverrides(
                        TensorOverride.expertsOnCpu(Parse.integer(v, 0, 4096))));
        flag("--cache-reuse").value("N")
                .help("Min chunk size to attempt reusing from the cache via KV shifting (default: 0)")
                .then((d, v) -> d.model.cacheReuse(Parse.atLeast(v, 0)));
        flag("--cache-ram").value("N")
                .help("MiB of memory for the KV states of prompts that slots gave up, restored when a prompt",
                        "sharing their start comes back (default: 0 = off; an extension, as llama.cpp's server)")
                .then((d, v) -> d.model.cacheRamMiB(Parse.atLeast(v, 0)));
        flag("-nr", "--no-repack").help("Disable weight repacking").sets(d -> d.model.repack(false));
        flag("-ctk", "--cache-type-k").value("TYPE")
                .help("KV cache data type for K, allowed values: " + CacheType.labels() + " (default: f16)")
                .then((d, v) -> d.model.cacheTypeK(Parse.choice(v, CacheType::fromLabel, CacheType.labels())));
        flag("-ctv", "--cache-type-v").value("TYPE")
                .help("KV cache data type for V, allowed values: " + CacheType.labels() + " (default: f16)")
                .then((d, v) -> d.model.cacheTypeV(Parse.choice(v, CacheType::fromLabel, CacheType.labels())));
        flag("-dt", "--defrag-thold").value("N")
                .help("KV cache defragmentation threshold (default: 0.1, < 0 - disabled)")
                .then((d, v) -> d.model.defragThreshold(Parse.decimal(v)));
        flag("-np", "--parallel").value("N").help("Number of parallel sequences to decode (default: 1)")
                .then((d, v) -> d.model.parallel(Parse.atLeast(v, 1)));
        flag("-nocb", "--no-cont-batching").help("Disable continuous batching")
                .sets(d -> d.model.continuousBatching(false));
        flag("--mmproj").value("FILE").help("Path to a multimodal projector file for LLaVA")
                .then((d, v) -> d.model.multimodalProjector(Parse.path(v)));
        flag("--mlock").help("Force system to keep model in RAM rather than swapping or compressing")
                .sets(d -> d.model.mlock(true));
        flag("--no-mmap")
                .help("Do not memory-map model (slower load but may reduce pageouts if not using mlock)")
                .sets(d -> d.model.mmap(false));
        flag("--mmap").help("Apply memory-map model (faster load but may increase pageouts if not using mlock)")
                .sets(d -> d.model.mmap(true));
        flag("--numa").value("TYPE")
                .help("Attempt optimizations that help on some NUMA systems",
                        "- distribute: spread execution evenly over all nodes",
                        "- isolate: only spawn threads on CPUs on the node that execution started on",
                        "- numactl: use the CPU map provided by numactl",
                        "If run without this previously, it is recommended to drop the system page cache before"
                                + " using this,",
                        "see https://github.com/ggerganov/llama.cpp/issues/1437")
                .then((d, v) -> d.model.numa(Parse.choice(v,
                        t -> NumaStrategy.fromLabel(t).filter(s -> s != NumaStrategy.DISABLED),
                        "distribute, isolate, numactl")));
        flag("--control-vector").value("FILE").help("Add a control vector")
                .then((d, v) -> d.model.addControlVector(new ControlVector(Parse.path(v), 1.0)));
        flag("--control-vector-scaled").values("FILE SCALE", 2)
                .help("Add a control vector with user defined scaling SCALE")
                .then((d, file, scale) -> d.model.addControlVector(
                        new ControlVector(Parse.path(file), Parse.decimal(scale))));
        flag("--control-vector-layer-range").values("START END", 2)
                .help("Layer range to apply the control vector(s) to, start and end inclusive")
                .then((d, start, end) -> {
                    int first = Parse.atLeast(start, 0);
                    int last = Parse.atLeast(end, 0);
                    if (last != 0 && last < first) {
                        throw new InvalidValueException("END must not be below START (0: the last layer)");
                    }
                    d.model.controlVectorLayers(new LayerRange(first, last));
                });
        flag("--spm-infill")
                .help("Use Suffix/Prefix/Middle pattern for infill (instead of Prefix/Suffix/Middle) as some models"
                        + " prefer this (default: disabled)")
                .sets(d -> d.model.spmInfill(true));
        flag("-sp", "--special").help("Special tokens output enabled (default: false)")
                .sets(d -> d.model.special(true));
    }

    private void threadFlags(String shortSuffix, String longSuffix, String threadsHelp, String maskHelp,
            String rangeHelp, String strictHelp, List<String> prioHelp, String pollHelp,
            Function<Draft, ThreadDraft> target) {
        flag("-t" + shortSuffix, "--threads" + longSuffix).value("N").help(threadsHelp)
                .then((d, v) -> target.apply(d).threads = Parse.automaticOrAtLeast(v, 1));
        flag("-C" + shortSuffix, "--cpu-mask" + longSuffix).value("M").help(maskHelp)
                .then((d, v) -> target.apply(d).mask = Parse.cpuMask(v));
        flag("-Cr" + shortSuffix, "--cpu-range" + longSuffix).value("lo-hi").help(rangeHelp)
                .then((d, v) -> target.apply(d).range = Parse.cpuRange(v));
        flag("--cpu-strict" + longSuffix).value("<0|1>").help(strictHelp)
                .then((d, v) -> target.apply(d).strict = Parse.truth(v));
        flag("--prio" + longSuffix).value("N").help(prioHelp.toArray(String[]::new))
                .then((d, v) -> target.apply(d).priority = ThreadPriority.fromLevel(Parse.integer(v, 0, 3))
                        .orElseThrow());
        flag("--poll" + longSuffix).value("<0...100>").help(pollHelp)
                .then((d, v) -> target.apply(d).poll = Parse.integer(v, 0, 100));
    }

    // ---- server/completion/speculative ----

    private void speculative() {
        section = Section.SPECULATIVE;
        flag("--draft-max", "--draft", "--draft-n").value("N")
                .help("Number of tokens to draft for speculative decoding (default: 16)")
                .then((d, v) -> d.speculative.draftMax(Parse.atLeast(v, 0)));
        flag("--draft-min", "--draft-n-min").value("N")
                .help("Minimum number of draft tokens to use for speculative decoding (default: 5)")
                .then((d, v) -> d.speculative.draftMin(Parse.atLeast(v, 0)));
        flag("--draft-p-min").value("P").help("Minimum speculative decoding probability (greedy) (default: 0.9)")
                .then((d, v) -> d.speculative.draftPMin(Parse.decimal(v, 0.0, 1.0)));
        flag("-md", "--model-draft").value("FNAME").help("Draft model for speculative decoding (default: unused)")
                .then((d, v) -> d.speculative.draftModel(Parse.path(v)));
        flag("-devd", "--device-draft").value("<dev1,dev2,...>")
                .help("A comma-separated list of devices to use for offloading the draft model (none = don't"
                        + " offload)",
                        "Use --list-devices to see a list of available devices")
                .then((d, v) -> d.speculative.draftDevices(Parse.devices(v)));
        flag("-ngld", "--gpu-layers-draft", "--n-gpu-layers-draft").value("N")
                .help("Number of layers to store in VRAM for the draft model")
                .then((d, v) -> d.speculative.draftGpuLayers(Parse.automaticOrAtLeast(v, 0)));
        flag("--lookup-ngram-min").value("N")
                .help("Minimum n-gram size for lookup cache (default: 0, 0 = disabled, at most "
                        + SpeculativeSettings.MAX_LOOKUP_NGRAM + ")")
                .then((d, v) -> d.speculative.lookupNgramMin(
                        Parse.integer(v, 0, SpeculativeSettings.MAX_LOOKUP_NGRAM)));
        flag("-lcs", "--lookup-cache-static").value("FILE")
                .help("Path to static lookup cache to use for lookup decoding (not updated by generation)")
                .then((d, v) -> d.speculative.lookupCacheStatic(Parse.path(v)));
        flag("-lcd", "--lookup-cache-dynamic").value("FILE")
                .help("Path to dynamic lookup cache to use for lookup decoding (updated by generation)")
                .then((d, v) -> d.speculative.lookupCacheDynamic(Parse.path(v)));
    }

    // ---- server/completion/visual ----

    private void visual() {
        section = Section.VISUAL;
        flag("--visual-max-image-size").value("N")
                .help("Maximum image size when completion with vision, resize the image size automatically if"
                        + " exceed,",
                        "must be larger than 224 and be multiples of 14 (default: 0, 0 = disabled)")
                .then((d, v) -> {
                    int size = Parse.atLeast(v, 0);
                    if (size != 0 && (size <= 224 || size % 14 != 0)) {
                        throw new InvalidValueException("must be 0, or larger than 224 and a multiple of 14");
                    }
                    d.visualMaxImageSize = size;
                });
        flag("--visual-max-image-cache").value("N")
                .help("(Deprecated, use --max-projected-cache instead) Specify how many images to cache after"
                        + " encoding (default: 0, 0 = disabled)")
                .then((d, v) -> d.visualMaxProjectedCache = Parse.atLeast(v, 0));
        flag("--max-projected-cache").value("N")
                .help("Specify how many projected embedding cache (default: 0, 0 = disabled)",
                        "Accepted and validated; this build keeps no such cache (the prompt cache reuses an image"
                                + " that follows the same prefix)")
                .then((d, v) -> d.visualMaxProjectedCache = Parse.atLeast(v, 0));
        flag("--no-visual-url-fetch")
                .help("Do not fetch images given as http(s) URLs, accept only inline data: URIs",
                        "(default: fetch, at most 32 MiB per image within 15 seconds and 5 redirects)")
                .sets(d -> d.visualFetchUrls = false);
    }

    // ---- server/embedding ----

    private void embedding() {
        section = Section.EMBEDDING;
        flag("--pooling").value("{" + PoolingType.labels().replace(", ", ",") + "}")
                .help("Pooling type for embeddings, use model default if unspecified")
                .then((d, v) -> d.model.pooling(Parse.choice(v, PoolingType::fromLabel, PoolingType.labels())));
        flag("--attention").value("{causal,non-causal}")
                .help("Attention type for embeddings, use model default if unspecified")
                .then((d, v) -> d.model.attention(Parse.choice(v, AttentionType::fromLabel, AttentionType.labels())));
    }

    // ---- server/images ----

    private void images() {
        section = Section.IMAGES;
        flag("--image-max-batch").value("N").help("Maximum batch count (default: 4)")
                .then((d, v) -> d.images.maxBatch(Parse.atLeast(v, 1)));
        flag("--image-max-height").value("N")
                .help("Image maximum height, in pixel space, must be larger than 256 and be multiples of 64"
                        + " (default: 1024)")
                .then((d, v) -> d.images.maxHeight(imageSide(v)));
        flag("--image-max-width").value("N")
                .help("Image maximum width, in pixel space, must be larger than 256 and be multiples of 64"
                        + " (default: 1024)")
                .then((d, v) -> d.images.maxWidth(imageSide(v)));
        flag("--image-guidance").value("N").help("The value of guidance during the computing phase (default: 3.5)")
                .then((d, v) -> d.images.guidance(Parse.atLeast(v, 0.0)));
        flag("--image-strength").value("N")
                .help("Strength for noising, range of [0.0, 1.0], automatically retrieve the default value"
                        + " according to --model")
                .then((d, v) -> d.images.strength(Parse.decimal(v, 0.0, 1.0)));
        flag("--image-sample-method", "--image-sampler").value("TYPE")
                .help("Sample method that will be used for generation, automatically retrieve the default value"
                        + " according to --model,",
                        "allowed values: " + ImageSampleMethod.labels())
                .then((d, v) -> d.images.sampleMethod(
                        Parse.choice(v, ImageSampleMethod::fromLabel, ImageSampleMethod.labels())));
        flag("--image-sampling-steps", "--image-sample-steps").value("N")
                .help("Number of sampling steps, automatically retrieve the default value according to --model,"
                        + " and +2 when",
                        "requesting high definition generation")
                .then((d, v) -> d.images.samplingSteps(Parse.atLeast(v, 1)));
        flag("--image-cfg-scale").value("N")
                .help("The scale of classifier-free guidance(CFG), automatically retrieve the default value"
                        + " according to --model",
                        "(1.0 = disabled)")
                .then((d, v) -> d.images.cfgScale(Parse.decimal(v)));
        flag("--image-slg-scale").value("N")
                .help("The scale of skip-layer guidance(SLG), only for DiT model, automatically retrieve the default"
                        + " value",
                        "according to --model (0.0 = disabled)")
                .then((d, v) -> d.images.slgScale(Parse.atLeast(v, 0.0)));
        flag("--image-slg-skip-layer").value("N")
                .help("The layers to skip when processing SLG, may be specified multiple times. (default: 7;8;9)")
                .then((d, v) -> d.addSlgSkipLayer(Parse.atLeast(v, 0)));
        flag("--image-slg-start").value("N").help("The phase to enable SLG (default: 0.01)")
                .then((d, v) -> d.slgStart(Parse.decimal(v, 0.0, 1.0)));
        flag("--image-slg-end").value("N")
                .help("The phase to disable SLG (default: 0.20)",
                        "SLG will be enabled at step int([STEP]*[--image-slg-start]) and disabled at"
                                + " int([STEP]*[--image-slg-end])")
                .then((d, v) -> d.slgEnd(Parse.decimal(v, 0.0, 1.0)));
        flag("--image-schedule-method", "--image-schedule").value("TYPE")
                .help("Denoiser sigma schedule method, allowed values: " + ImageScheduleMethod.labels()
                        + " (default: discrete)")
                .then((d, v) -> d.images.scheduleMethod(
                        Parse.choice(v, ImageScheduleMethod::fromLabel, ImageScheduleMethod.labels())));
        flag("--image-no-text-encoder-model-offload")
                .help("Disable text-encoder(clip-l/clip-g/t5xxl) model offload")
                .sets(d -> d.images.textEncoderOffload(false));
        flag("--image-clip-l-model").value("PATH")
                .help("Path to the CLIP Large (clip-l) text encoder, or use --model included")
                .then((d, v) -> d.images.clipL(Parse.path(v)));
        flag("--image-clip-g-model").value("PATH")
                .help("Path to the CLIP Generic (clip-g) text encoder, or use --model included")
                .then((d, v) -> d.images.clipG(Parse.path(v)));
        flag("--image-t5xxl-model").value("PATH")
                .help("Path to the Text-to-Text Transfer Transformer (t5xxl) text encoder, or use --model included")
                .then((d, v) -> d.images.t5xxl(Parse.path(v)));
        flag("--image-no-vae-model-offload").help("Disable vae(taesd) model offload")
                .sets(d -> d.images.vaeOffload(false));
        flag("--image-vae-model").value("PATH").help("Path to Variational AutoEncoder (vae), or use --model included")
                .then((d, v) -> d.images.vae(Parse.path(v)));
        flag("--image-vae-tiling")
                .help("Indicate to process vae decoder in tiles to reduce memory usage (default: disabled)")
                .sets(d -> d.images.vaeTiling(true));
        flag("--image-no-vae-tiling").help("Disable vae decoder in tiles").sets(d -> d.images.vaeTiling(false));
        flag("--image-taesd-model").value("PATH")
                .help("Path to Tiny AutoEncoder For StableDiffusion (taesd), or use --model included")
                .then((d, v) -> d.images.taesd(Parse.path(v)));
        flag("--image-upscale-model").value("PATH").help("Path to the upscale model, or use --model included")
                .then((d, v) -> d.images.upscaler(Parse.path(v)));
        flag("--image-upscale-repeats").value("N").help("How many times to run upscaler (default: 1)")
                .then((d, v) -> d.images.upscaleRepeats(Parse.atLeast(v, 1)));
        flag("--image-no-control-net-model-offload").help("Disable control-net model offload")
                .sets(d -> d.images.controlNetOffload(false));
        flag("--image-control-net-model").value("PATH")
                .help("Path to the control net model, or use --model included")
                .then((d, v) -> d.images.controlNet(Parse.path(v)));
        flag("--image-control-strength").value("N").help("How strength to apply the control net (default: 0.9)")
                .then((d, v) -> d.images.controlStrength(Parse.atLeast(v, 0.0)));
        flag("--image-control-canny").help("Indicate to apply canny preprocessor (default: disabled)")
                .sets(d -> d.images.controlCanny(true));
        flag("--image-free-compute-memory-immediately")
                .help("Indicate to free compute memory immediately, which allow generating high resolution image"
                        + " (default: disabled)")
                .sets(d -> d.images.freeComputeMemoryImmediately(true));
    }

    private static int imageSide(String text) throws InvalidValueException {
        int pixels = Parse.atLeast(text, 0);
        if (pixels <= 256 || pixels % 64 != 0) {
            throw new InvalidValueException("must be larger than 256 and a multiple of 64");
        }
        return pixels;
    }

    // ---- rpc-server ----

    private void rpcServer() {
        section = Section.RPC_SERVER;
        flag("--rpc-server-host").value("HOST").help("IP address to RPC server listen (default: 0.0.0.0)")
                .then((d, v) -> d.rpcServerHost = Parse.nonBlank(v));
        flag("--rpc-server-port").value("PORT").help("Port to RPC server listen (default: 0, 0 = disabled)")
                .then((d, v) -> d.rpcServerPort = Parse.integer(v, 0, 65535));
        flag("--rpc-server-main-gpu").value("N")
                .help("The GPU VRAM to use for the RPC server (default: 0, -1 = disabled, use RAM)")
                .then((d, v) -> d.rpcServerMainGpu = Parse.atLeast(v, -1));
        flag("--rpc-server-reserve-memory").value("MEM").help("Reserve memory in MiB (default: 0)")
                .then((d, v) -> d.rpcServerReserveMiB = Parse.integer(v, 0L, Long.MAX_VALUE >> 20));
        flag("--rpc-server-threads").value("N")
                .help("Number of threads for the CPU backend (default: -1, the same as --threads)")
                .then((d, v) -> d.rpcServerThreads = Parse.automaticOrAtLeast(v, 1));
        flag("--rpc-server-cache").help("Enable caching large tensors locally (default: disabled)")
                .sets(d -> d.rpcServerCache = true);
        flag("--rpc-server-cache-dir").value("PATH")
                .help("Path to store large tensors (default: $XDG_CACHE_HOME/llama-box/rpc, or ~/.cache/llama-box/rpc)")
                .then((d, v) -> d.rpcServerCacheDir = Parse.path(v));
        flag("--origin-rpc-server-main-gpu").value("N")
                .help("The GPU a launcher says this RPC server stands for; only logged (an extension: GPUStack passes"
                        + " it)")
                .then((d, v) -> d.rpcServerOriginMainGpu = Parse.atLeast(v, -1));
    }

    // ---- environment ----

    private void variables() {
        sameAs("LLAMA_ARG_MODEL", "--model");
        sameAs("LLAMA_ARG_MODEL_ALIAS", "--alias");
        sameAs("LLAMA_ARG_THREADS", "--threads");
        sameAs("LLAMA_ARG_CTX_SIZE", "--ctx-size");
        sameAs("LLAMA_ARG_N_PARALLEL", "--parallel");
        sameAs("LLAMA_ARG_BATCH", "--batch-size");
        sameAs("LLAMA_ARG_UBATCH", "--ubatch-size");
        sameAs("LLAMA_ARG_DEVICE", "--device");
        sameAs("LLAMA_ARG_N_GPU_LAYERS", "--gpu-layers");
        sameAs("LLAMA_ARG_THREADS_HTTP", "--threads-http");
        toggle("LLAMA_ARG_CACHE_PROMPT", "if set to 0, it will disable caching prompt (equivalent to"
                + " --no-cache-prompt). This feature is enabled by default.", List.of("--no-cache-prompt"),
                (d, on) -> d.model.cachePrompt(on));
        sameAs("LLAMA_ARG_CACHE_REUSE", "--cache-reuse");
        environment.add(new EnvVariable("LLAMA_ARG_CHAT_TEMPLATE", "equivalent to --chat-template",
                List.of(require("--chat-template"), require("--chat-template-file")),
                (d, v) -> require("--chat-template").action().apply(d, List.of(v))));
        sameAs("LLAMA_ARG_N_PREDICT", "--predict");
        toggle("LLAMA_ARG_METRICS", "if set to 1, it will enable metrics endpoint (equivalent to --metrics).",
                List.of("--metrics"), (d, on) -> d.server.metrics(on));
        toggle("LLAMA_ARG_SLOTS", "if set to 1, it will enable slots endpoint (equivalent to --slots).",
                List.of("--slots"), (d, on) -> d.server.slots(on));
        toggle("LLAMA_ARG_EMBEDDINGS", "if set to 1, it will enable embeddings endpoint (equivalent to"
                + " --embeddings).", List.of("--embeddings"), (d, on) -> d.server.embeddings(on));
        toggle("LLAMA_ARG_FLASH_ATTN", "if set to 1, it will enable flash attention (equivalent to -fa,"
                + " --flash-attn).", List.of("--flash-attn", "--no-flash-attn"),
                (d, on) -> d.model.flashAttention(on ? FlashAttentionMode.ON : FlashAttentionMode.OFF));
        toggle("LLAMA_ARG_CONT_BATCHING", "if set to 0, it will disable continuous batching (equivalent to"
                + " --no-cont-batching). This feature is enabled by default.", List.of("--no-cont-batching"),
                (d, on) -> d.model.continuousBatching(on));
        sameAs("LLAMA_ARG_DEFRAG_THOLD", "--defrag-thold");
        sameAs("LLAMA_ARG_HOST", "--host");
        sameAs("LLAMA_ARG_PORT", "--port");
        sameAs("LLAMA_ARG_DRAFT_MAX", "--draft-max");
        sameAs("LLAMA_ARG_DRAFT_MIN", "--draft-min");
        sameAs("LLAMA_ARG_DRAFT_P_MIN", "--draft-p-min");
        sameAs("LLAMA_ARG_MODEL_DRAFT", "--model-draft");
        sameAs("LLAMA_ARG_DEVICE_DRAFT", "--device-draft");
        sameAs("LLAMA_ARG_N_GPU_LAYERS_DRAFT", "--gpu-layers-draft");
        sameAs("LLAMA_ARG_LOOKUP_NGRAM_MIN", "--lookup-ngram-min");
        sameAs("LLAMA_ARG_LOOKUP_CACHE_STATIC", "--lookup-cache-static");
        sameAs("LLAMA_ARG_LOOKUP_CACHE_DYNAMIC", "--lookup-cache-dynamic");
        sameAs("LLAMA_ARG_RPC_SERVER_HOST", "--rpc-server-host");
        sameAs("LLAMA_ARG_RPC_SERVER_PORT", "--rpc-server-port");
        Flag verbosity = require("--log-verbosity");
        environment.add(new EnvVariable("LLAMA_LOG_VERBOSITY", "equivalent to " + verbosity.displayNames(),
                List.of(verbosity, require("--verbose")), (d, v) -> verbosity.action().apply(d, List.of(v))));
    }

    private void sameAs(String name, String flagName) {
        Flag flag = require(flagName);
        environment.add(new EnvVariable(name, "equivalent to " + flag.displayNames(), List.of(flag),
                (d, v) -> flag.action().apply(d, List.of(v))));
    }

    private interface Toggle {
        void apply(Draft draft, boolean on);
    }

    private void toggle(String name, String description, List<String> flagNames, Toggle toggle) {
        List<Flag> overriddenBy = flagNames.stream().map(this::require).toList();
        environment.add(new EnvVariable(name, description, overriddenBy,
                (d, v) -> toggle.apply(d, Parse.truth(v))));
    }

    private Flag require(String name) {
        Flag flag = byName.get(name);
        if (flag == null) {
            throw new IllegalStateException("no flag " + name);
        }
        return flag;
    }

    // ---- definition helpers ----

    private FlagBuilder flag(String... names) {
        return new FlagBuilder(List.of(names));
    }

    private void register(Flag flag) {
        for (String name : flag.names()) {
            if (byName.putIfAbsent(name, flag) != null) {
                throw new IllegalStateException("flag " + name + " defined twice");
            }
        }
        flags.add(flag);
    }

    /** One value. */
    private interface ValueAction {
        void apply(Draft draft, String value) throws InvalidValueException;
    }

    /** Two values. */
    private interface PairAction {
        void apply(Draft draft, String first, String second) throws InvalidValueException;
    }

    private final class FlagBuilder {
        private final List<String> names;
        private String label = "";
        private int arity;
        private List<String> help = List.of();

        private FlagBuilder(List<String> names) {
            this.names = names;
        }

        FlagBuilder value(String paramLabel) {
            return values(paramLabel, 1);
        }

        FlagBuilder values(String paramLabel, int count) {
            label = paramLabel;
            arity = count;
            return this;
        }

        FlagBuilder help(String... lines) {
            help = List.of(lines);
            return this;
        }

        void sets(Consumer<Draft> effect) {
            check(0);
            register(new Flag(section, names, label, 0, help, (d, v) -> effect.accept(d)));
        }

        void then(ValueAction action) {
            check(1);
            register(new Flag(section, names, label, 1, help, (d, v) -> action.apply(d, v.getFirst())));
        }

        void then(PairAction action) {
            check(2);
            register(new Flag(section, names, label, 2, help, (d, v) -> action.apply(d, v.get(0), v.get(1))));
        }

        private void check(int expected) {
            if (arity != expected) {
                throw new IllegalStateException(names + " takes " + arity + " values, its action " + expected);
            }
        }
    }
}
