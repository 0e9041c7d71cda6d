import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Single-stream generation speed of one server: RUNS streaming greedy chat requests (temperature 0,
 * ignore_eos, exactly TOKENS tokens) with the prompt in PROMPT_FILE, one after the other. Prints one
 * RUN line per request and a RESULT line: generation tokens/s (median and best; tokens after the
 * first over the time from the first to the last content chunk, so prompt processing is left out and
 * chunks carrying several tokens, as speculation sends them, count right), time to first token, and
 * the draft counts of the responses' {@code timings} (draft_n, draft_n_accepted) when the server
 * reports them. The text of the first run goes to OUT_TEXT; runs whose text differs from it are
 * reported with a WARNING line. With SERVER_PID, each run also says how many cores the machine spent
 * on other processes meanwhile ({@code others_cores}, from /proc; the machine is shared), so that
 * disturbed runs can be told apart: the RESULT's tokens/s figures are over the quiet runs (others
 * below {@value #QUIET_CORES} cores) when there is one, else over all runs with a WARNING.
 *
 * usage: java SpecBench.java BASE_URL LABEL TOKENS RUNS PROMPT_FILE OUT_TEXT [SERVER_PID]
 */
public final class SpecBench {
    /** Cores that other processes may keep busy during a run that still counts as undisturbed. */
    static final double QUIET_CORES = 0.25;

    record Run(double tokensPerSecond, double ttftMs, int draftN, int draftAccepted, String text, String finish,
               double othersCores) {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String label = args[1];
        int tokens = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        String prompt = Files.readString(Path.of(args[4]));
        Path outText = Path.of(args[5]);
        long serverPid = args.length > 6 ? Long.parseLong(args[6]) : -1;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        List<Run> done = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            long[] before = cpu(serverPid);
            Run run = stream(http, base, prompt, tokens);
            long[] after = cpu(serverPid);
            double others = before == null || after == null ? Double.NaN
                    : (double) ((after[1] - before[1]) - (after[2] - before[2])) / (after[0] - before[0]);
            run = new Run(run.tokensPerSecond(), run.ttftMs(), run.draftN(), run.draftAccepted(), run.text(),
                    run.finish(), others);
            System.out.printf(Locale.ROOT, "RUN %s %d tokens_per_s=%.2f ttft_ms=%.0f draft_n=%d draft_accepted=%d"
                            + " finish=%s others_cores=%.2f%n", label, r + 1, run.tokensPerSecond(), run.ttftMs(),
                    run.draftN(), run.draftAccepted(), run.finish(), run.othersCores());
            if (!run.finish().equals("length")) {
                System.out.printf("WARNING %s run %d finished with %s, not length: ignore_eos or max_tokens not honoured%n",
                        label, r + 1, run.finish());
            }
            if (!done.isEmpty() && !run.text().equals(done.get(0).text())) {
                System.out.printf("WARNING %s run %d gave other text than run 1 (greedy should repeat)%n", label, r + 1);
            }
            done.add(run);
        }
        Files.writeString(outText, done.get(0).text());
        // runs during which other processes kept a quarter of a core or more busy are left out of the median
        // when at least one run was quiet; the RESULT says how many were
        List<Run> quiet = done.stream().filter(r -> !(r.othersCores() >= QUIET_CORES)).toList();
        List<Double> speeds = (quiet.isEmpty() ? done : quiet).stream().map(Run::tokensPerSecond).sorted().toList();
        List<Double> ttft = done.stream().map(Run::ttftMs).sorted().toList();
        List<Double> others = done.stream().map(Run::othersCores).sorted().toList();
        long drafted = done.stream().mapToLong(Run::draftN).sum();
        boolean unknown = done.stream().anyMatch(r -> r.draftAccepted() < 0);
        long accepted = done.stream().mapToLong(r -> Math.max(0, r.draftAccepted())).sum();
        if (quiet.isEmpty()) {
            System.out.printf("WARNING %s: every run was disturbed by other processes; its figures are unreliable%n", label);
        }
        System.out.printf(Locale.ROOT, "RESULT %s tokens=%d runs=%d quiet_runs=%d tokens_per_s=%.2f best_tokens_per_s=%.2f "
                        + "worst_tokens_per_s=%.2f ttft_ms=%.0f others_cores=%.2f draft_n=%d draft_accepted=%d"
                        + " acceptance=%s text_sha=%s%n",
                label, tokens, runs, quiet.size(), median(speeds), speeds.get(speeds.size() - 1), speeds.get(0), median(ttft),
                median(others),
                drafted, accepted, unknown ? "?" : drafted > 0 ? String.format(Locale.ROOT, "%.3f", (double) accepted / drafted) : "-",
                sha(done.get(0).text()));
    }

    /**
     * Clock ticks since boot (all cores together), busy ticks of all cores, and the busy ticks of the
     * server and of this process together; null when /proc cannot tell.
     */
    static long[] cpu(long serverPid) {
        if (serverPid < 0) {
            return null;
        }
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            int cores = Runtime.getRuntime().availableProcessors();
            long own = procTicks("/proc/" + serverPid + "/stat") + procTicks("/proc/self/stat");
            return new long[] {total / Math.max(1, cores), total - idle, own};
        } catch (Exception e) {
            return null;
        }
    }

    /** utime + stime of a process (with its threads). */
    static long procTicks(String statFile) throws Exception {
        String s = Files.readString(Path.of(statFile));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String sha(String s) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d, 0, 6);
    }

    static Run stream(HttpClient http, String base, String prompt, int tokens) throws Exception {
        HttpRequest req = LoadGenerator.chatRequest(base, prompt, tokens);
        long t0 = System.nanoTime();
        HttpResponse<java.util.stream.Stream<String>> res = http.send(req, HttpResponse.BodyHandlers.ofLines());
        if (res.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + res.statusCode() + " from " + base);
        }
        StringBuilder text = new StringBuilder();
        long[] first = {0};
        long[] last = {0};
        int[] draft = {0, 0};
        String[] finish = {"none"};
        res.body().forEach(line -> {
            if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                return;
            }
            String content = stringField(line, "content");
            if (content != null && !content.isEmpty()) {
                long now = System.nanoTime();
                if (first[0] == 0) {
                    first[0] = now;
                }
                last[0] = now;
                text.append(content);
            }
            String f = stringField(line, "finish_reason");
            if (f != null) {
                finish[0] = f;
            }
            int n = intField(line, "draft_n");
            if (n >= 0) {
                draft[0] = n;
                draft[1] = intField(line, "draft_n_accepted");
                if (draft[1] < 0) {
                    int i = line.indexOf("\"timings\"");
                    System.out.println("WARNING timings carry draft_n but no draft_n_accepted: "
                            + (i >= 0 ? line.substring(i) : line));
                }
            }
        });
        double gen = (last[0] - first[0]) / 1e9;
        return new Run(gen > 0 ? (tokens - 1) / gen : Double.NaN, (first[0] - t0) / 1e6, draft[0], draft[1],
                text.toString(), finish[0], Double.NaN);
    }

    /** The JSON string value of the first {@code "key":"..."} in {@code json}, unescaped; null if absent. */
    static String stringField(String json, String key) {
        String k = "\"" + key + "\":\"";
        int i = json.indexOf(k);
        if (i < 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int p = i + k.length(); p < json.length(); p++) {
            char c = json.charAt(p);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = json.charAt(++p);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(json.substring(p + 1, p + 5), 16));
                    p += 4;
                }
                default -> sb.append(e);
            }
        }
        throw new IllegalStateException("unterminated string for " + key + " in " + json);
    }

    /** The integer value of {@code "key":N}; -1 if absent. */
    static int intField(String json, String key) {
        String k = "\"" + key + "\":";
        int i = json.indexOf(k);
        if (i < 0) {
            return -1;
        }
        int p = i + k.length();
        int q = p;
        while (q < json.length() && Character.isDigit(json.charAt(q))) {
            q++;
        }
        return q > p ? Integer.parseInt(json.substring(p, q)) : -1;
    }
}
