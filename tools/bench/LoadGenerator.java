import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Drives N concurrent streaming chat requests against an OpenAI-compatible server and prints output
 * tokens/s, time to first token and inter-token latency (p50/p99). Each SSE chunk with content counts
 * as one token, which holds for llama-box and llama-server (one chunk per token).
 *
 * usage: java LoadGenerator.java BASE_URL CONCURRENCY REQUESTS_PER_CLIENT MAX_TOKENS [LABEL]
 */
public final class LoadGenerator {
    record Sample(double ttftMs, List<Double> itlMs, int tokens, double seconds) {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int concurrency = Integer.parseInt(args[1]);
        int perClient = Integer.parseInt(args[2]);
        int maxTokens = Integer.parseInt(args[3]);
        String label = args.length > 4 ? args[4] : base;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        String[] topics = {"the sea", "a mountain", "the city at night", "a small cat", "an old library",
                "the first snow", "a long train ride", "a market in the morning"};
        long start = System.nanoTime();
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> jobs = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                int client = c;
                jobs.add(pool.submit(() -> {
                    for (int r = 0; r < perClient; r++) {
                        String topic = topics[(client + r) % topics.length];
                        samples.add(stream(http, base, "Write a short story about " + topic + " (client " + client
                                + ", request " + r + ").", maxTokens));
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        long tokens = samples.stream().mapToLong(Sample::tokens).sum();
        List<Double> ttft = samples.stream().map(Sample::ttftMs).sorted().toList();
        List<Double> itl = samples.stream().flatMap(s -> s.itlMs().stream()).sorted().toList();
        System.out.printf(Locale.ROOT, "RESULT %s concurrency=%d requests=%d tokens=%d wall_s=%.2f tokens_per_s=%.2f "
                        + "ttft_p50_ms=%.1f ttft_p99_ms=%.1f itl_p50_ms=%.2f itl_p99_ms=%.2f%n",
                label, concurrency, samples.size(), tokens, wall, tokens / wall, pct(ttft, 50), pct(ttft, 99),
                pct(itl, 50), pct(itl, 99));
    }

    static double pct(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    /** A streaming greedy chat request for exactly {@code maxTokens} tokens (also used by SpecBench). */
    static HttpRequest chatRequest(String base, String prompt, int maxTokens) {
        String body = "{\"model\":\"bench\",\"stream\":true,\"max_tokens\":" + maxTokens
                + ",\"temperature\":0,\"ignore_eos\":true,\"messages\":[{\"role\":\"user\",\"content\":"
                + quote(prompt) + "}]}";
        return HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    static Sample stream(HttpClient http, String base, String prompt, int maxTokens) throws Exception {
        HttpRequest req = chatRequest(base, prompt, maxTokens);
        long t0 = System.nanoTime();
        HttpResponse<java.util.stream.Stream<String>> res = http.send(req, HttpResponse.BodyHandlers.ofLines());
        if (res.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + res.statusCode() + " from " + base);
        }
        List<Long> times = new ArrayList<>();
        res.body().forEach(line -> {
            if (line.startsWith("data: ") && line.contains("\"content\"") && !line.contains("\"content\":\"\"")
                    && !line.contains("\"content\":null")) {
                times.add(System.nanoTime());
            }
        });
        long t1 = System.nanoTime();
        List<Double> itl = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            itl.add((times.get(i) - times.get(i - 1)) / 1e6);
        }
        double ttft = times.isEmpty() ? Double.NaN : (times.get(0) - t0) / 1e6;
        return new Sample(ttft, itl, times.size(), (t1 - t0) / 1e9);
    }
}
