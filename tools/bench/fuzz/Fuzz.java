import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends N generated request bodies to every POST endpoint of a running server and counts the answers by
 * status: random JSON over the API's keys and hostile values, valid bodies cut short, with a byte changed,
 * with invalid UTF-8, nested deeply, and random bytes. Every 5xx (but 501, the documented answer of an
 * endpoint whose flag is off), every request not answered within 20 s (kept for a look: a body may ask for
 * an endless generation) and
 * every connection failure is written to CORPUS_DIR (endpoint on the first line, the body after), and the
 * server's /health is checked at the end. Exit status 1 on an undocumented 5xx, a connection failure or a
 * /health that is not 200.
 *
 * usage: java Fuzz.java BASE_URL N [SEED] [CONCURRENCY] [CORPUS_DIR]
 */
public final class Fuzz {
    static final int LIMIT_SECONDS = 20;
    static final List<String> ENDPOINTS = List.of("/v1/chat/completions", "/v1/completions", "/completion",
            "/tokenize", "/detokenize", "/infill", "/v1/embeddings", "/v1/rerank", "/slots/0?action=save",
            "/slots/0?action=restore", "/slots/0?action=erase", "/lora-adapters", "/apply-template");
    static final List<String> KEYS = List.of("messages", "prompt", "input", "content", "tokens", "model",
            "max_tokens", "n_predict", "temperature", "stream", "tools", "tool_choice", "response_format", "n",
            "logprobs", "top_logprobs", "stop", "logit_bias", "seed", "documents", "query", "top_n", "role",
            "image_url", "url", "input_prefix", "input_suffix", "input_extra", "grammar", "json_schema",
            "samplers", "id_slot", "lora", "n_probs", "id", "scale", "filename", "type", "text", "cache_prompt");
    static final List<String> LEAVES = List.of("true", "false", "0", "-1", "1", "2147483647", "-9223372036854775808",
            "1e308", "-0.0", "NaN", "\"\"", "\"x\"", "\"\\u0000\"", "\"user\"", "\"assistant\"", "\"tool\"",
            "\"\\ud800\"", "\"" + "a".repeat(5000) + "\"", "\"data:image/png;base64,AAAA\"", "\"<tool_call>\"",
            "\"root ::= [\"", "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#\"}}}", "[]", "{}", "null");
    static final List<String> VALID = List.of(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":4}",
            "{\"prompt\":\"Once upon a time\",\"n_predict\":4}",
            "{\"content\":\"hello world\"}", "{\"tokens\":[1,2,3]}",
            "{\"input\":\"embed me\"}", "{\"query\":\"q\",\"documents\":[\"a\",\"b\"]}",
            "{\"filename\":\"fuzz.bin\"}", "[{\"id\":0,\"scale\":0.5}]",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"w\"}],\"tools\":[{\"type\":\"function\",\"function\":"
                    + "{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}],\"tool_choice\":\"required\",\"max_tokens\":8}",
            "{\"prompt\":\"x\",\"json_schema\":{\"type\":\"object\"},\"n_predict\":8}");

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int n = Integer.parseInt(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        Path corpus = Path.of(args.length > 4 ? args[4] : "fuzz-corpus");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, AtomicInteger> counts = new TreeMap<>();
        AtomicInteger bad = new AtomicInteger();
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Random r = new Random(seed * 1_000_003L + i);
                String endpoint = ENDPOINTS.get(r.nextInt(ENDPOINTS.size()));
                byte[] body = body(r);
                int id = i;
                all.add(pool.submit(() -> {
                    String outcome = send(http, base, endpoint, body);
                    synchronized (counts) {
                        counts.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                    }
                    // 501 is the documented answer of an endpoint whose flag is off
                    boolean failed = outcome.startsWith("5") && !outcome.equals("501") || outcome.startsWith("conn");
                    if (failed) {
                        bad.incrementAndGet();
                    }
                    if (failed || outcome.equals("timeout")) {
                        keep(corpus, id, endpoint, body, outcome);
                    }
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        }
        String health = send(http, base, null, null);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%d bodies in %.1f s; answers by status: %s; undocumented 5xx and connection failures: %d; /health: %s%n",
                n, s, counts, bad.get(), health);
        System.exit(bad.get() == 0 && health.equals("200") ? 0 : 1);
    }

    /**
     * The status, "timeout" or "connection failed". The time limit covers the whole answer: a slow
     * generation is answered 200 at once and kept alive with spaces, and a body without a token limit
     * (n_predict -1, as the spec allows) generates until the limit cuts it; the request is then cancelled,
     * which closes the connection and so stops the generation.
     */
    static String send(HttpClient http, String base, String endpoint, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + (endpoint == null ? "/health" : endpoint)));
        b = endpoint == null ? b.GET() : b.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> f =
                http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        try {
            return Integer.toString(f.get(LIMIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS).statusCode());
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            return "timeout";
        } catch (java.util.concurrent.ExecutionException e) {
            return "connection failed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    static byte[] body(Random r) {
        return switch (r.nextInt(6)) {
            case 0, 1 -> json(r, 0).getBytes(StandardCharsets.UTF_8);
            case 2 -> {
                byte[] v = VALID.get(r.nextInt(VALID.size())).getBytes(StandardCharsets.UTF_8);
                yield java.util.Arrays.copyOf(v, r.nextInt(v.length));
            }
            case 3 -> {
                byte[] v = VALID.get(r.nextInt(VALID.size())).getBytes(StandardCharsets.UTF_8).clone();
                v[r.nextInt(v.length)] = (byte) r.nextInt(256);
                yield v;
            }
            case 4 -> {
                String v = VALID.get(r.nextInt(VALID.size()));
                int at = v.indexOf('"', 1) + 1;
                byte[] head = v.substring(0, Math.max(1, at)).getBytes(StandardCharsets.UTF_8);
                byte[] tail = v.substring(Math.max(1, at)).getBytes(StandardCharsets.UTF_8);
                byte[] junk = {(byte) 0xC0, (byte) 0x80, (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xFF};
                byte[] out = new byte[head.length + junk.length + tail.length];
                System.arraycopy(head, 0, out, 0, head.length);
                System.arraycopy(junk, 0, out, head.length, junk.length);
                System.arraycopy(tail, 0, out, head.length + junk.length, tail.length);
                yield out;
            }
            default -> {
                if (r.nextBoolean()) {
                    yield ("[".repeat(20_000) + "]".repeat(20_000)).getBytes(StandardCharsets.UTF_8);
                }
                byte[] b = new byte[r.nextInt(2048)];
                r.nextBytes(b);
                yield b;
            }
        };
    }

    static String json(Random r, int depth) {
        if (depth > 3 || r.nextInt(4) == 0) {
            return LEAVES.get(r.nextInt(LEAVES.size()));
        }
        StringBuilder sb = new StringBuilder();
        if (r.nextInt(3) == 0) {
            sb.append('[');
            for (int i = 0, k = r.nextInt(4); i < k; i++) {
                sb.append(i == 0 ? "" : ",").append(json(r, depth + 1));
            }
            return sb.append(']').toString();
        }
        sb.append('{');
        for (int i = 0, k = 1 + r.nextInt(5); i < k; i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(KEYS.get(r.nextInt(KEYS.size()))).append("\":")
                    .append(json(r, depth + 1));
        }
        return sb.append('}').toString();
    }

    static synchronized void keep(Path corpus, int id, String endpoint, byte[] body, String outcome) {
        try {
            Files.createDirectories(corpus);
            byte[] head = (endpoint + "\n").getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[head.length + body.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            Files.write(corpus.resolve(id + "-" + outcome.replace(' ', '-') + ".body"), all);
        } catch (IOException e) {
            System.err.println("cannot keep body " + id + ": " + e.getMessage());
        }
    }
}
