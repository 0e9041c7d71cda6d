package io.llamabox.testkit.storm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A storm against a running server: many requests at once, a third of them hostile bodies (see
 * {@link HostileBodies}), a third streams dropped after their first event, a third normal greedy chats.
 * It counts server errors (5xx), hangs (no end to a response within the guard), busy slots left once
 * the storm is over ({@code GET /slots}, the server needs {@code --slots}), and whether the normal
 * answer, taken before the storm, is still the same during and after it.
 * <pre>{@code java -cp modules/testkit/target/classes io.llamabox.testkit.storm.Storm PORT [REQUESTS] [CONCURRENCY] [SEED]}</pre>
 */
public final class Storm {
    /**
     * @param host the server's address
     * @param port its port
     * @param concurrency requests at once
     * @param requests requests in all
     * @param seed of the random choices, so that a storm can be repeated
     * @param oversizedBytes a body length the server must refuse (above its limit)
     * @param guard the longest one request may take before it counts as a hang
     */
    public record Options(String host, int port, int concurrency, int requests, long seed, long oversizedBytes,
                          Duration guard) {
        public static Options of(int port, int requests) {
            return new Options("127.0.0.1", port, 16, requests, 42, (64L << 20) + 1, Duration.ofSeconds(120));
        }
    }

    /** What the storm saw. */
    public record Report(int requests, Map<String, Integer> kinds, Map<Integer, Integer> statuses, int serverErrors,
                         List<String> serverErrorSamples, int hangs, int changedAnswers, boolean slotsIdle,
                         String reference, long millis) {
        public boolean ok() {
            return serverErrors == 0 && hangs == 0 && changedAnswers == 0 && slotsIdle;
        }

        public String summary() {
            return "requests " + requests + " in " + millis + " ms; kinds " + kinds + "; statuses " + statuses
                    + " (-1: closed while the body was sent)\n5xx " + serverErrors + ", hangs " + hangs
                    + ", normal answers changed " + changedAnswers + ", slots idle afterwards " + slotsIdle
                    + (serverErrorSamples.isEmpty() ? "" : "\n5xx samples: " + serverErrorSamples);
        }
    }

    private static final String NORMAL = "{\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about the sea.\"}],"
            + "\"max_tokens\":16,\"temperature\":0";
    private static final List<String> PATHS = List.of("/v1/chat/completions", "/v1/completions", "/completion",
            "/tokenize");

    private final Options o;
    private final Map<String, Integer> kinds = new TreeMap<>();
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private final List<String> errors = new java.util.ArrayList<>();
    private final AtomicInteger hangs = new AtomicInteger();
    private final AtomicInteger changed = new AtomicInteger();
    private String reference;

    private Storm(Options o) {
        this.o = o;
    }

    public static Report run(Options o) throws Exception {
        return new Storm(o).storm();
    }

    private Report storm() throws Exception {
        long t0 = System.nanoTime();
        reference = normalAnswer();
        List<HostileBodies.Kind> hostile = HostileBodies.all(o.oversizedBytes());
        ExecutorService pool = Executors.newFixedThreadPool(o.concurrency());
        for (int i = 0; i < o.requests(); i++) {
            Random r = new Random(o.seed() * 1_000_003 + i);
            int kind = i % 3;
            pool.submit(() -> {
                try {
                    switch (kind) {
                        case 0 -> hostile(hostile.get(r.nextInt(hostile.size())), r);
                        case 1 -> droppedStream();
                        default -> normal();
                    }
                } catch (Exception e) {
                    record("client failure", -2, e.toString());
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(o.guard().toSeconds() * (1 + o.requests() / o.concurrency()), TimeUnit.SECONDS)) {
            pool.shutdownNow();
            hangs.incrementAndGet();
        }
        boolean idle = slotsIdle();
        if (!normalAnswer().equals(reference)) {
            changed.incrementAndGet();
        }
        synchronized (this) {
            return new Report(o.requests(), Map.copyOf(kinds), Map.copyOf(statuses), errors.size(),
                    List.copyOf(errors.subList(0, Math.min(5, errors.size()))), hangs.get(), changed.get(), idle,
                    reference, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private void hostile(HostileBodies.Kind kind, Random r) throws IOException {
        byte[] body = kind.body().apply(r);
        long declared = kind.declaredLength() < 0 ? body.length : kind.declaredLength();
        Response res = exchange(PATHS.get(r.nextInt(PATHS.size())), body, declared, false);
        record(kind.name(), res.status, res.text);
    }

    private void droppedStream() throws IOException {
        byte[] body = (NORMAL.replace("\"max_tokens\":16", "\"max_tokens\":200") + ",\"stream\":true}")
                .getBytes(StandardCharsets.UTF_8);
        Response res = exchange("/v1/chat/completions", body, body.length, true);
        record("dropped stream", res.status, res.text);
    }

    private void normal() throws IOException {
        String answer = normalAnswer();
        synchronized (this) {
            kinds.merge("normal", 1, Integer::sum);
            statuses.merge(200, 1, Integer::sum);
        }
        if (!answer.equals(reference)) {
            changed.incrementAndGet();
        }
    }

    private String normalAnswer() throws IOException {
        byte[] body = (NORMAL + "}").getBytes(StandardCharsets.UTF_8);
        Response res = exchange("/v1/chat/completions", body, body.length, false);
        if (res.status != 200) {
            throw new IOException("the normal chat was answered " + res.status + ": " + res.text);
        }
        int at = res.text.indexOf("\"content\":\"");
        int end = res.text.indexOf("\"", at + 11);
        while (end > 0 && res.text.charAt(end - 1) == '\\') {
            end = res.text.indexOf("\"", end + 1);
        }
        if (at < 0 || end < 0) {
            throw new IOException("no content in the normal answer: " + res.text);
        }
        return res.text.substring(at + 11, end);
    }

    private boolean slotsIdle() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + o.guard().toNanos();
        while (true) {
            Response res = exchange("GET", "/slots", new byte[0], 0, false);
            if (res.status == 200 && !res.text.contains("\"is_processing\":true")) {
                return true;
            }
            if (res.status != 200 || System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50); // cancelled tasks leave their slots at the engine's next step
        }
    }

    private synchronized void record(String kind, int status, String text) {
        kinds.merge(kind, 1, Integer::sum);
        statuses.merge(status, 1, Integer::sum);
        if (status >= 500 || status == -2) {
            errors.add(kind + " -> " + status + " " + text.substring(0, Math.min(300, text.length())));
        }
    }

    private record Response(int status, String text) {
    }

    private Response exchange(String path, byte[] body, long declared, boolean dropAfterFirstEvent) throws IOException {
        return exchange("POST", path, body, declared, dropAfterFirstEvent);
    }

    /** One request on its own connection ({@code Connection: close}), read to its end or to a first event. */
    private Response exchange(String method, String path, byte[] body, long declared, boolean dropAfterFirstEvent)
            throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(o.host(), o.port()), (int) o.guard().toMillis());
            s.setSoTimeout((int) o.guard().toMillis());
            String head = method + " " + path + " HTTP/1.1\r\nHost: storm\r\nConnection: close\r\n"
                    + (method.equals("POST") ? "Content-Type: application/json\r\nContent-Length: " + declared + "\r\n"
                    : "") + "\r\n";
            boolean sent = true;
            try {
                OutputStream out = s.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } catch (IOException refusedWhileSending) {
                sent = false; // the server answered (413) and closed before reading it all
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    got.write(buf, 0, n);
                    if (dropAfterFirstEvent && got.toString(StandardCharsets.UTF_8).contains("data: ")) {
                        s.setSoLinger(true, 0); // an abrupt end, as a client that crashed
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                hangs.incrementAndGet();
                return new Response(-3, got.toString(StandardCharsets.UTF_8));
            } catch (IOException reset) {
                if (sent) {
                    throw reset;
                }
            }
            String text = got.toString(StandardCharsets.UTF_8);
            if (text.length() < 12 || !text.startsWith("HTTP/1.")) {
                if (!sent) {
                    return new Response(-1, text);
                }
                throw new IOException("no HTTP answer: " + text);
            }
            return new Response(Integer.parseInt(text.substring(9, 12)), text.substring(text.indexOf("\r\n\r\n") + 4));
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Storm PORT [REQUESTS] [CONCURRENCY] [SEED]");
            System.exit(2);
        }
        Options d = Options.of(Integer.parseInt(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 1500);
        Options o = new Options(d.host(), d.port(), args.length > 2 ? Integer.parseInt(args[2]) : d.concurrency(),
                d.requests(), args.length > 3 ? Long.parseLong(args[3]) : d.seed(), d.oversizedBytes(), d.guard());
        Report r = run(o);
        System.out.println(r.summary());
        System.exit(r.ok() ? 0 : 1);
    }
}
