package io.llamabox.testkit.model;

import io.llamabox.testkit.gguf.GgmlType;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Command line of {@code tools/make-model}: writes one generated model. */
public final class MakeModel {

    static final String USAGE = """
            usage: make-model ARCH OUT.gguf [options]
              ARCH: llama | qwen2 | qwen2vl (M-RoPE) | gemma3 (sliding-window attention) | bert-embed | bert-rerank | mmproj (a vision projector for --mmproj)
                    | sd1 | sd2 (Stable Diffusion 1.x / 2.x image models for stable-diffusion.cpp; take --seed and --name only)
                    | sd1-lora (a LoRA for sd1 in kohya names, updating the UNet's attention; takes --seed and --name only)
                    | sd1-inpaint (sd1 with the inpainting UNet's 9 input channels) | sd1-controlnet-base (sd1 with a 320-wide UNet,
                      which a control net needs) | sd1-controlnet (a ControlNet for it, 320 wide as stable-diffusion.cpp fixes it)
                    | taesd (a tiny autoencoder for SD 1.x latents) | esrgan (an ESRGAN x4 upscaler with one block); all take --seed and --name only
            options (defaults are the tiny test models):
              --preset tiny|bench       starting sizes; bench = ~153M-parameter decoder (12 x 768, ff 3072, 32000 tokens)
              --layers N                blocks
              --embd N                  embedding width
              --heads N                 attention heads
              --kv-heads N              key/value heads (decoders)
              --ff N                    feed-forward width
              --vocab N                 vocabulary size (>= 300)
              --ctx N                   training context length
              --type f32|f16|q8_0       type of the weight matrices (default q8_0)
              --seed N                  seed of the random weights (default 42)
              --name NAME               general.name
              --chat-template-file F    tokenizer.chat_template from file F (decoders; default ChatML)
              --no-chat-template        write no chat template (decoders)
              --fim                     add FIM tokens and their metadata (decoders)
              --pooling mean|cls        pooling of bert-embed (default mean)
              --text-embd N             mmproj: embedding width of the text model it feeds (default 64, the tiny llama's)
              --image-size N            mmproj: image side in pixels (default 64)
              --patch-size N            mmproj: patch side in pixels (default 16; 14 for the merger)
              --projector mlp|qwen2vl-merger
                                        mmproj: LLaVA's MLP (default) or Qwen2-VL's patch merger (for a qwen2vl model)
              -h, --help                this text
            """;

    private MakeModel() {
    }

    public static void main(String[] args) {
        runAndExit("make-model", USAGE, MakeModel::run, args);
    }

    /** A command of the tool: returns its exit status; bad arguments throw {@link IllegalArgumentException}. */
    interface Command {
        int run(String[] args, PrintStream out) throws IOException;
    }

    /** Runs {@code command} and exits: 2 with the usage for bad arguments, 1 for I/O failures. */
    static void runAndExit(String name, String usage, Command command, String[] args) {
        try {
            System.exit(command.run(args, System.out));
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            System.err.print(usage);
            System.exit(2);
        } catch (IOException e) {
            System.err.println(name + ": " + e);
            System.exit(1);
        }
    }

    /** Runs the command; returns the exit status. Bad arguments throw {@link IllegalArgumentException}. */
    static int run(String[] args, PrintStream out) throws IOException {
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help")) {
                out.print(USAGE);
                return 0;
            }
        }
        if (args.length < 2) {
            throw new IllegalArgumentException("ARCH and OUT.gguf are required");
        }
        String arch = args[0];
        Path outPath = Path.of(args[1]);
        Options o = new Options();
        for (int i = 2; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--fim" -> o.fim = true;
                case "--no-chat-template" -> o.noTemplate = true;
                default -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("missing value for " + a);
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--preset" -> o.preset = v;
                        case "--layers" -> o.layers = integer(a, v);
                        case "--embd" -> o.embd = integer(a, v);
                        case "--heads" -> o.heads = integer(a, v);
                        case "--kv-heads" -> o.kvHeads = integer(a, v);
                        case "--ff" -> o.ff = integer(a, v);
                        case "--vocab" -> o.vocab = integer(a, v);
                        case "--ctx" -> o.ctx = integer(a, v);
                        case "--type" -> o.type = type(v);
                        case "--seed" -> o.seed = longValue(a, v);
                        case "--name" -> o.name = v;
                        case "--chat-template-file" -> o.templateFile = Path.of(v);
                        case "--pooling" -> o.pooling = Pooling.parse(v);
                        case "--text-embd" -> o.textEmbd = integer(a, v);
                        case "--image-size" -> o.imageSize = integer(a, v);
                        case "--patch-size" -> o.patchSize = integer(a, v);
                        case "--projector" -> o.projector = switch (v) {
                            case "mlp" -> ProjectorSpec.Kind.MLP;
                            case "qwen2vl-merger" -> ProjectorSpec.Kind.QWEN2VL_MERGER;
                            default -> throw new IllegalArgumentException("--projector is mlp or qwen2vl-merger");
                        };
                        default -> throw new IllegalArgumentException("unknown option " + a);
                    }
                }
            }
        }
        long t0 = System.nanoTime();
        long size;
        long params;
        String what;
        Path parent = outPath.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        switch (arch) {
            case "llama", "qwen2", "qwen2vl", "gemma3" -> {
                DecoderSpec s = decoderSpec(DecoderArch.parse(arch), o);
                size = ModelGenerator.write(s, outPath);
                params = s.parameterCount();
                what = String.format(Locale.ROOT,
                        "%s %s: %d layers, embd %d, heads %d/%d kv, ff %d, vocab %d, ctx %d, %s, seed %d, fim %s, %s",
                        s.arch().ggufName(), s.name(), s.layers(), s.embd(), s.heads(), s.kvHeads(), s.ff(),
                        s.vocab(), s.ctx(), s.type(), s.seed(), s.fim(), s.chatTemplate() == null
                                ? "no chat template" : "chat template of " + s.chatTemplate().length() + " chars");
            }
            case "bert-embed", "bert-rerank" -> {
                EncoderSpec s = encoderSpec(arch.equals("bert-rerank"), o);
                size = ModelGenerator.write(s, outPath);
                params = s.parameterCount();
                what = String.format(Locale.ROOT,
                        "bert %s: %d layers, embd %d, heads %d, ff %d, vocab %d, ctx %d, %s, seed %d, pooling %s",
                        s.name(), s.layers(), s.embd(), s.heads(), s.ff(), s.vocab(), s.ctx(), s.type(), s.seed(),
                        s.pooling().name().toLowerCase(Locale.ROOT));
            }
            case "mmproj" -> {
                ProjectorSpec s = projectorSpec(o);
                size = ModelGenerator.write(s, outPath);
                params = s.parameterCount();
                what = String.format(Locale.ROOT,
                        "clip %s: %s projector to %d wide, %dx%d images in %d-pixel patches (%d embeddings),"
                                + " %d layers, embd %d, heads %d, ff %d, hidden %d, %s, seed %d",
                        s.name(), s.kind().ggufName(), s.textEmbd(), s.imageSize(), s.imageSize(), s.patchSize(), s.imageTokens(),
                        s.layers(), s.embd(), s.heads(), s.ff(), s.hidden(), s.type(), s.seed());
            }
            case "sd1", "sd2", "sd1-inpaint", "sd1-controlnet-base" -> {
                DiffusionSpec s = arch.equals("sd1-controlnet-base")
                        ? withSeedAndName(DiffusionSpec.sd1ForControlNet(), arch, o)
                        : diffusionSpec(DiffusionSpec.Version.ofId(arch), o);
                size = DiffusionModelGenerator.write(s, outPath);
                params = s.parameterCount();
                what = String.format(Locale.ROOT,
                        "%s %s: UNet %d wide, VAE decoder %d wide, text encoder %d wide x %d layers, seed %d",
                        s.version().id(), s.name(), s.modelChannels(), s.decoderChannels(), s.version().textWidth(),
                        s.version().textLayers(), s.seed());
            }
            case "sd1-lora" -> {
                rejectAllButSeedAndName(o, arch);
                DiffusionLoraSpec s = DiffusionLoraSpec.of(DiffusionSpec.tinySd1());
                if (o.seed != null) s = s.withSeed(o.seed);
                if (o.name != null) s = s.withName(o.name);
                size = DiffusionModelGenerator.write(s, outPath);
                params = s.parameterCount();
                what = String.format(Locale.ROOT, "LoRA %s for %s: rank %d, alpha %s on %d UNet attention projections, seed %d",
                        s.name(), s.base().name(), s.rank(), s.alpha(), DiffusionModelGenerator.loraTargets(s.base()).size(),
                        s.seed());
            }
            case "taesd", "sd1-controlnet", "esrgan" -> {
                rejectAllButSeedAndName(o, arch);
                DiffusionPartSpec s = DiffusionPartSpec.of(switch (arch) {
                    case "taesd" -> DiffusionPartSpec.Kind.TAESD;
                    case "esrgan" -> DiffusionPartSpec.Kind.ESRGAN;
                    default -> DiffusionPartSpec.Kind.CONTROL_NET;
                });
                if (o.seed != null) s = s.withSeed(o.seed);
                if (o.name != null) s = s.withName(o.name);
                size = DiffusionPartGenerator.write(s, outPath);
                params = s.parameterCount();
                what = String.format(Locale.ROOT, "%s %s, seed %d", s.kind().id(), s.name(), s.seed());
            }
            default -> throw new IllegalArgumentException("unknown ARCH " + arch);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "wrote %s: %.1f M parameters, %.1f MiB in %.2f s%n  %s%n", outPath, params / 1e6,
                size / 1048576.0, secs, what);
        return 0;
    }

    static DecoderSpec decoderSpec(DecoderArch arch, Options o) throws IOException {
        DecoderSpec s = switch (o.preset) {
            case "tiny" -> DecoderSpec.tiny(arch);
            case "bench" -> DecoderSpec.benchLlama().withArch(arch).withName("bench-" + arch.ggufName());
            default -> throw new IllegalArgumentException("unknown preset " + o.preset + " (tiny, bench)");
        };
        if (o.pooling != null) {
            throw new IllegalArgumentException("--pooling is for bert-embed");
        }
        if (o.layers != null) s = s.withLayers(o.layers);
        if (o.embd != null) s = s.withEmbd(o.embd);
        if (o.heads != null) s = s.withHeads(o.heads);
        if (o.kvHeads != null) s = s.withKvHeads(o.kvHeads);
        if (o.ff != null) s = s.withFf(o.ff);
        if (o.vocab != null) s = s.withVocab(o.vocab);
        if (o.ctx != null) s = s.withCtx(o.ctx);
        if (o.type != null) s = s.withType(o.type);
        if (o.seed != null) s = s.withSeed(o.seed);
        if (o.name != null) s = s.withName(o.name);
        if (o.fim) s = s.withFim(true);
        if (o.noTemplate && o.templateFile != null) {
            throw new IllegalArgumentException("--no-chat-template and --chat-template-file exclude each other");
        }
        if (o.noTemplate) s = s.withChatTemplate(null);
        if (o.templateFile != null) s = s.withChatTemplate(ChatTemplates.read(o.templateFile));
        return s;
    }

    static EncoderSpec encoderSpec(boolean rerank, Options o) {
        if (!o.preset.equals("tiny")) {
            throw new IllegalArgumentException("BERT models have only the tiny preset");
        }
        if (o.kvHeads != null || o.fim || o.templateFile != null || o.noTemplate) {
            throw new IllegalArgumentException("--kv-heads, --fim and chat templates are for decoders");
        }
        EncoderSpec s = rerank ? EncoderSpec.tinyReranker() : EncoderSpec.tinyEmbedding();
        if (o.pooling != null) {
            if (rerank || o.pooling == Pooling.RANK) {
                throw new IllegalArgumentException("--pooling is mean or cls, for bert-embed");
            }
            s = s.withPooling(o.pooling);
        }
        if (o.layers != null) s = s.withLayers(o.layers);
        if (o.embd != null) s = s.withEmbd(o.embd);
        if (o.heads != null) s = s.withHeads(o.heads);
        if (o.ff != null) s = s.withFf(o.ff);
        if (o.vocab != null) s = s.withVocab(o.vocab);
        if (o.ctx != null) s = s.withCtx(o.ctx);
        if (o.type != null) s = s.withType(o.type);
        if (o.seed != null) s = s.withSeed(o.seed);
        if (o.name != null) s = s.withName(o.name);
        return s;
    }

    static ProjectorSpec projectorSpec(Options o) {
        if (!o.preset.equals("tiny")) {
            throw new IllegalArgumentException("mmproj has only the tiny preset");
        }
        if (o.kvHeads != null || o.vocab != null || o.ctx != null || o.fim || o.templateFile != null || o.noTemplate
                || o.pooling != null) {
            throw new IllegalArgumentException("--kv-heads, --vocab, --ctx, --fim, chat templates and --pooling are not for mmproj");
        }
        ProjectorSpec s = o.projector == ProjectorSpec.Kind.QWEN2VL_MERGER
                ? ProjectorSpec.tinyMergerFor(DecoderSpec.tinyQwen2Vl()) : ProjectorSpec.tinyFor(DecoderSpec.tinyLlama());
        if (o.textEmbd != null) s = s.withTextEmbd(o.textEmbd);
        if (o.imageSize != null) s = s.withImageSize(o.imageSize);
        if (o.patchSize != null) s = s.withPatchSize(o.patchSize);
        if (o.layers != null) s = s.withLayers(o.layers);
        if (o.embd != null) s = s.withEmbd(o.embd);
        if (o.heads != null) s = s.withHeads(o.heads);
        if (o.ff != null) s = s.withFf(o.ff);
        if (o.type != null) s = s.withType(o.type);
        if (o.seed != null) s = s.withSeed(o.seed);
        if (o.name != null) s = s.withName(o.name);
        return s;
    }

    static DiffusionSpec diffusionSpec(DiffusionSpec.Version version, Options o) {
        return withSeedAndName(DiffusionSpec.tiny(version), version.id(), o);
    }

    private static DiffusionSpec withSeedAndName(DiffusionSpec s, String arch, Options o) {
        rejectAllButSeedAndName(o, arch);
        if (o.seed != null) s = s.withSeed(o.seed);
        if (o.name != null) s = s.withName(o.name);
        return s;
    }

    private static void rejectAllButSeedAndName(Options o, String arch) {
        if (!o.preset.equals("tiny") || o.layers != null || o.embd != null || o.heads != null || o.kvHeads != null
                || o.ff != null || o.vocab != null || o.ctx != null || o.type != null || o.templateFile != null
                || o.noTemplate || o.fim || o.pooling != null || o.textEmbd != null || o.imageSize != null
                || o.patchSize != null || o.projector != null) {
            throw new IllegalArgumentException(arch + " takes --seed and --name only");
        }
    }

    static final class Options {
        String preset = "tiny";
        Integer layers;
        Integer embd;
        Integer heads;
        Integer kvHeads;
        Integer ff;
        Integer vocab;
        Integer ctx;
        GgmlType type;
        Long seed;
        String name;
        Path templateFile;
        boolean noTemplate;
        boolean fim;
        Pooling pooling;
        Integer textEmbd;
        Integer imageSize;
        Integer patchSize;
        ProjectorSpec.Kind projector;
    }

    private static int integer(String opt, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " needs an integer, got " + v);
        }
    }

    private static long longValue(String opt, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " needs an integer, got " + v);
        }
    }

    private static GgmlType type(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "f32" -> GgmlType.F32;
            case "f16" -> GgmlType.F16;
            case "q8_0" -> GgmlType.Q8_0;
            default -> throw new IllegalArgumentException("--type is f32, f16 or q8_0, got " + v);
        };
    }
}
