package io.llamabox.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A valid, non-default use of every flag, keyed by the flag's primary name: the arguments that follow the
 * flag, and for flags whose effect is the default the arguments that must come first.
 */
final class FlagSamples {
    record Sample(List<String> before, List<String> values) {
    }

    private final Map<String, Sample> samples = new HashMap<>();

    FlagSamples(Path files) {
        Path grammar = write(files.resolve("sample.gbnf"), "root ::= \"yes\" | \"no\"");
        Path template = write(files.resolve("sample.jinja"), "{% for m in messages %}{{ m.content }}{% endfor %}");
        // general
        put("--help");
        put("--version");
        put("--system-info");
        put("--list-devices");
        put("--list-buffer-types");
        put("--verbose");
        put("--verbosity", "3");
        put("--log-colors");
        // server
        put("--host", "0.0.0.0");
        put("--port", "9000");
        put("--timeout", "30");
        put("--threads-http", "4");
        put("--conn-idle", "30");
        put("--conn-keepalive", "5");
        put("--shutdown-grace", "20");
        put("--model", "model.gguf");
        put("--alias", "demo");
        put("--lora", "adapter.gguf");
        put("--lora-scaled", "adapter.gguf", "0.5");
        put("--lora-init-without-apply");
        put("--seed", "42");
        put("--flash-attn");
        put("--no-flash-attn");
        put("--swa-full");
        put("--kv-unified");
        put("--override-tensor", "\\.ffn_.*_exps\\.=CPU,token_embd=CPU");
        put("--override-tensor-draft", "blk\\.1\\.=CPU");
        put("--metrics");
        put("--infill");
        put("--embeddings");
        put("--images");
        put("--rerank");
        put("--slots");
        put("--rpc", "10.0.0.2:50052,10.0.0.3:50052");
        put("--tensor-split", "3,1");
        put("--gpu-layers", "99");
        put("--no-warmup");
        after(List.of("--no-warmup"), "--warmup");
        // server/completion
        put("--device", "none");
        put("--split-mode", "row");
        put("--main-gpu", "1");
        put("--override-kv", "tokenizer.ggml.add_bos_token=bool:false");
        put("--chat-template", "chatml");
        put("--chat-template-file", template.toString());
        put("--jinja");
        put("--slot-save-path", "slots");
        put("--slot-prompt-similarity", "0.7");
        put("--tokens-per-second", "-1");
        put("--threads", "4");
        put("--cpu-mask", "0xff");
        put("--cpu-range", "0-3");
        put("--cpu-strict", "1");
        put("--prio", "2");
        put("--poll", "0");
        put("--threads-batch", "8");
        put("--cpu-mask-batch", "f0");
        put("--cpu-range-batch", "4-7");
        put("--cpu-strict-batch", "1");
        put("--prio-batch", "3");
        put("--poll-batch", "100");
        put("--ctx-size", "8192");
        put("--no-context-shift");
        put("--predict", "-2");
        put("--batch-size", "1024");
        put("--ubatch-size", "256");
        put("--keep", "-1");
        after(List.of("--no-escape"), "--escape");
        put("--no-escape");
        put("--samplers", "top_k;temperature");
        put("--sampling-seq", "kt");
        put("--temp", "0.2");
        put("--top-k", "10");
        put("--top-p", "0.5");
        put("--min-p", "0.05");
        put("--xtc-probability", "0.5");
        put("--xtc-threshold", "0.2");
        put("--typical", "0.9");
        put("--repeat-last-n", "128");
        put("--repeat-penalty", "1.1");
        put("--presence-penalty", "0.5");
        put("--frequency-penalty", "-0.5");
        put("--dry-multiplier", "0.8");
        put("--dry-base", "2.0");
        put("--dry-allowed-length", "3");
        put("--dry-penalty-last-n", "256");
        put("--dry-sequence-breaker", "none");
        put("--dynatemp-range", "0.5");
        put("--dynatemp-exp", "2.0");
        put("--mirostat", "2");
        put("--mirostat-lr", "0.2");
        put("--mirostat-ent", "3.0");
        put("--logit-bias", "15043+1");
        put("--grammar", "root ::= \"a\"");
        put("--grammar-file", grammar.toString());
        put("--json-schema", "{}");
        put("--rope-scaling", "yarn");
        put("--rope-scale", "4");
        put("--rope-freq-base", "10000");
        put("--rope-freq-scale", "0.5");
        put("--yarn-orig-ctx", "4096");
        put("--yarn-ext-factor", "0.5");
        put("--yarn-attn-factor", "2.0");
        put("--yarn-beta-fast", "16");
        put("--yarn-beta-slow", "2");
        put("--no-kv-offload");
        put("--no-cache-prompt");
        put("--cache-reuse", "256");
        put("--cache-ram", "512");
        put("--cache-type-k", "q8_0");
        put("--cache-type-v", "q4_0");
        put("--defrag-thold", "-1");
        put("--parallel", "4");
        put("--no-cont-batching");
        put("--mmproj", "mmproj.gguf");
        put("--mlock");
        put("--no-mmap");
        after(List.of("--no-mmap"), "--mmap");
        put("--numa", "distribute");
        put("--control-vector", "vector.gguf");
        put("--control-vector-scaled", "vector.gguf", "0.8");
        put("--control-vector-layer-range", "2", "10");
        put("--spm-infill");
        put("--chat-template-kwargs", "{\"enable_thinking\":false}");
        after(List.of("--no-context-shift"), "--context-shift");
        put("--top-nsigma", "1.5");
        put("--cpu-moe");
        put("--n-cpu-moe", "3");
        put("--cpu-moe-draft");
        put("--n-cpu-moe-draft", "2");
        put("--no-repack");
        put("--special");
        // server/completion/speculative
        put("--draft-max", "8");
        put("--draft-min", "2");
        put("--draft-p-min", "0.5");
        put("--model-draft", "draft.gguf");
        put("--device-draft", "none");
        put("--gpu-layers-draft", "99");
        put("--lookup-ngram-min", "2");
        put("--lookup-cache-static", "static.bin");
        put("--lookup-cache-dynamic", "dynamic.bin");
        // server/completion/visual and server/embedding
        put("--visual-max-image-size", "1344");
        put("--no-visual-url-fetch");
        put("--visual-max-image-cache", "5");
        put("--max-projected-cache", "10");
        put("--attention", "non-causal");
        put("--pooling", "mean");
        // server/images
        put("--image-max-batch", "2");
        put("--image-max-height", "512");
        put("--image-max-width", "768");
        put("--image-guidance", "5");
        put("--image-strength", "0.75");
        put("--image-sample-method", "dpm++2m");
        put("--image-sampling-steps", "20");
        put("--image-cfg-scale", "4.5");
        put("--image-slg-scale", "2.5");
        put("--image-slg-skip-layer", "5");
        put("--image-slg-start", "0.05");
        put("--image-slg-end", "0.5");
        put("--image-schedule-method", "karras");
        put("--image-no-text-encoder-model-offload");
        put("--image-clip-l-model", "clip_l.gguf");
        put("--image-clip-g-model", "clip_g.gguf");
        put("--image-t5xxl-model", "t5xxl.gguf");
        put("--image-no-vae-model-offload");
        put("--image-vae-model", "vae.gguf");
        put("--image-vae-tiling");
        after(List.of("--image-vae-tiling"), "--image-no-vae-tiling");
        put("--image-taesd-model", "taesd.gguf");
        put("--image-upscale-model", "upscale.gguf");
        put("--image-upscale-repeats", "2");
        put("--image-no-control-net-model-offload");
        put("--image-control-net-model", "control.gguf");
        put("--image-control-strength", "0.5");
        put("--image-control-canny");
        put("--image-free-compute-memory-immediately");
        // rpc-server
        put("--rpc-server-host", "127.0.0.1");
        put("--rpc-server-port", "50052");
        put("--rpc-server-main-gpu", "-1");
        put("--rpc-server-reserve-memory", "1024");
        put("--rpc-server-threads", "3");
        put("--rpc-server-cache");
        put("--rpc-server-cache-dir", "rpc-cache");
        put("--origin-rpc-server-main-gpu", "3");
    }

    Sample of(String primaryName) {
        Sample sample = samples.get(primaryName);
        if (sample == null) {
            throw new IllegalArgumentException("no sample for " + primaryName);
        }
        return sample;
    }

    boolean has(String primaryName) {
        return samples.containsKey(primaryName);
    }

    /** The arguments that use the flag under {@code name}. */
    String[] args(String primaryName, String name) {
        Sample sample = of(primaryName);
        List<String> args = new java.util.ArrayList<>(sample.before());
        args.add(name);
        args.addAll(sample.values());
        return args.toArray(String[]::new);
    }

    private void put(String name, String... values) {
        after(List.of(), name, values);
    }

    private void after(List<String> before, String name, String... values) {
        if (samples.put(name, new Sample(before, List.of(values))) != null) {
            throw new IllegalStateException("two samples for " + name);
        }
    }

    private static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
