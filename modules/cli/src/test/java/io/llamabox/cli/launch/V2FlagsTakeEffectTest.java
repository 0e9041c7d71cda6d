package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.gguf.GgmlType;
import io.llamabox.testkit.model.DecoderSpec;
import io.llamabox.testkit.model.TestModels;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flags of llama-box v2 reach llama.cpp and the HTTP layer in a running server. */
class V2FlagsTakeEffectTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(120);
    /** The tiny llama in Q4_0, which the CPU backend repacks on x86-64 (AVX2) and ARM alike. */
    private static final DecoderSpec Q4_0 = DecoderSpec.tinyLlama().withName("tiny-llama-q4").withType(GgmlType.Q4_0);
    private static final Pattern REPACKED = Pattern.compile("CPU_REPACK model buffer size = +([0-9.]+) MiB");

    @TempDir
    Path dir;

    private static JsonNode chat(int port, String extra) throws Exception {
        HttpResponse<String> r = BoxProcess.post(port, "/v1/chat/completions", "{\"max_tokens\":3,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extra + "}");
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void contextAndLoadFlagsReachLlamaCppAndTopNSigmaAndTemplateKwargsReachRequests() throws Exception {
        Path template = Files.writeString(dir.resolve("t.jinja"),
                "{% for m in messages %}{{ m.content }}{% endfor %}{{ extra }}");
        try (BoxProcess box = BoxProcess.serve(dir.resolve("flags.log"), START, "-m", TestModels.llama().toString(),
                "-c", "512", "-np", "2", "-t", "2", "--swa-full", "-kvu", "--no-flash-attn", "-nr",
                "-ot", "token_embd\\.weight=CPU", "--top-nsigma", "1.0", "--jinja", "--chat-template-file",
                template.toString(), "--chat-template-kwargs", "{\"extra\":\" one two three four\"}")) {
            String log = box.output();
            assertTrue(log.contains("kv_unified            = true"), log);
            assertTrue(log.contains("flash_attn            = disabled"), log);
            assertTrue(log.contains("tensor buffer overrides [token_embd\\.weight=CPU]"), log);
            assertTrue(log.contains("--override-tensor/--cpu-moe change nothing here"), log);

            int withDefault = chat(box.port(), ",\"temperature\":1,\"seed\":1").at("/usage/prompt_tokens").asInt();
            int emptied = chat(box.port(), ",\"chat_template_kwargs\":{\"extra\":\"\"}")
                    .at("/usage/prompt_tokens").asInt();
            int longer = chat(box.port(), ",\"chat_template_kwargs\":{\"extra\":\" one two three four five six\"}")
                    .at("/usage/prompt_tokens").asInt();
            assertTrue(emptied < withDefault && withDefault < longer, emptied + " " + withDefault + " " + longer);

            chat(box.port(), ",\"temperature\":1,\"top_n_sigma\":0.5,\"seed\":3");
            HttpResponse<String> bad = BoxProcess.post(box.port(), "/v1/chat/completions",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"top_n_sigma\":\"wide\"}");
            assertEquals(400, bad.statusCode(), bad.body());
            assertTrue(bad.body().contains("top_n_sigma"), bad.body());
            HttpResponse<String> badKwargs = BoxProcess.post(box.port(), "/v1/chat/completions",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"chat_template_kwargs\":[1]}");
            assertEquals(400, badKwargs.statusCode(), badKwargs.body());
        }
    }

    /** MiB in the CPU backend's repacked layouts, 0 when nothing was repacked. */
    private double repackedMiB(String name, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("-m", TestModels.get(Q4_0, TestModels.defaultDirectory())
                .toString(), "-c", "256", "-t", "2"));
        args.addAll(List.of(extra));
        try (BoxProcess box = BoxProcess.serve(dir.resolve(name + ".log"), START, args.toArray(String[]::new))) {
            Matcher m = REPACKED.matcher(box.output());
            return m.find() ? Double.parseDouble(m.group(1)) : 0;
        }
    }

    @Test
    void weightsAreRepackedUnlessNoRepackIsGiven() throws Exception {
        assertTrue(repackedMiB("repack") > 0, "nothing repacked by default");
        assertEquals(0, repackedMiB("no-repack", "--no-repack"));
    }

    @Test
    void swaFullGivesTheSlidingWindowLayersACacheOfTheFullSize() throws Exception {
        Pattern swaSize = Pattern.compile("creating +SWA KV cache, size = (\\d+) cells");
        try (BoxProcess box = BoxProcess.serve(dir.resolve("swa.log"), START, "-m", TestModels.gemma3().toString(),
                "-c", "2048", "-t", "2", "--swa-full")) {
            String log = box.output();
            assertTrue(log.contains("using full-size SWA cache"), log);
            Matcher m = swaSize.matcher(log);
            assertTrue(m.find(), log);
            // without --swa-full the window's layers keep about one window per slot, here 2048 cells
            assertTrue(Integer.parseInt(m.group(1)) >= 2048, log);
        }
    }

    /** The vector of one input, and whether llama.cpp's context used causal attention. */
    private JsonNode embedding(String name, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("-m", TestModels.llama().toString(), "--embeddings",
                "--pooling", "mean", "-c", "256", "-t", "2"));
        args.addAll(List.of(extra));
        try (BoxProcess box = BoxProcess.serve(dir.resolve(name + ".log"), START, args.toArray(String[]::new))) {
            HttpResponse<String> r = BoxProcess.post(box.port(), "/v1/embeddings", "{\"input\":\"a b c d\"}");
            assertEquals(200, r.statusCode(), r.body());
            // the text context's line comes first, the embedding context's last
            Matcher causal = Pattern.compile("causal_attn += (\\d)").matcher(box.output());
            String last = null;
            while (causal.find()) {
                last = causal.group(1);
            }
            assertTrue(last != null, box.output());
            return JSON.createObjectNode().put("causal", last)
                    .set("vector", JSON.readTree(r.body()).at("/data/0/embedding"));
        }
    }

    @Test
    void attentionForcesTheEmbeddingContextsAttention() throws Exception {
        JsonNode own = embedding("llama");
        JsonNode bidirectional = embedding("llama-non-causal", "--attention", "non-causal");
        assertEquals("1", own.get("causal").asText(), "a decoder attends to what came before");
        assertEquals("0", bidirectional.get("causal").asText());
        assertTrue(!own.get("vector").equals(bidirectional.get("vector")), "non-causal attention changed nothing");
        JsonNode causal = embedding("llama-causal", "--attention", "causal");
        assertEquals("1", causal.get("causal").asText());
        assertEquals(own.get("vector"), causal.get("vector"));
    }

    @Test
    void anOverrideToABufferTypeThatIsNotHereStopsTheStartNamingThoseThatAre() throws Exception {
        try (BoxProcess box = BoxProcess.start(dir.resolve("bad-ot.log"), "-m", TestModels.llama().toString(),
                "--port", "0", "-ot", "ffn=NOPE0")) {
            assertTrue(box.process.waitFor(120, TimeUnit.SECONDS), box.output());
            assertEquals(1, box.process.exitValue(), box.output());
            assertTrue(box.output().contains("no buffer type NOPE0 here (there are CPU"), box.output());
        }
    }

    @Test
    void listBufferTypesPrintsTheCpuBufferType() throws Exception {
        try (BoxProcess box = BoxProcess.start(dir.resolve("list.log"), "--list-buffer-types")) {
            assertTrue(box.process.waitFor(60, TimeUnit.SECONDS), box.output());
            assertEquals(0, box.process.exitValue(), box.output());
            assertTrue(box.output().contains("Available buffer types:\n  CPU\n"), box.output());
        }
    }
}
