package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.model.DecoderSpec;
import io.llamabox.testkit.model.TestModels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command lines a launcher (GPUStack) builds for llama-box start our server and serve a request each:
 * its model-instance line with a projector, a reranker, an embedding model and an image model, a main
 * instance that offloads over {@code --rpc} with {@code --tensor-split}, and its RPC-server line, whose
 * tensor cache spares a returning client from sending the weights again. Each line also carries a flag of
 * a later release, which is named in a warning and skipped.
 */
class LauncherLinesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(180);
    private static final String LATER_FLAG = "--flag-from-a-later-release";
    /**
     * Like the tiny llama, with an output matrix above ggml RPC's 10 MiB hashing threshold (32000 x 512 Q8_0,
     * 17 MB), so that the RPC server's cache has something to keep.
     */
    private static final DecoderSpec WIDE_VOCAB = DecoderSpec.tinyLlama().withName("launcher-wide-vocab")
            .withVocab(32000).withEmbd(512).withHeads(8).withKvHeads(4).withFf(1024);

    @TempDir
    Path dir;

    /** The model-instance line of the launcher, then the line's own extras and the user's parameters. */
    private static List<String> instance(Path model, String alias, String... extra) {
        List<String> args = new ArrayList<>(List.of("--host", "0.0.0.0", "--embeddings", "--gpu-layers", "99",
                "--parallel", "4", "--ctx-size", "8192", "--model", model.toString(), "--alias", alias, "--no-mmap",
                "--no-warmup"));
        args.addAll(List.of(extra));
        args.addAll(List.of(LATER_FLAG, "7", "-t", "2"));
        return args;
    }

    private BoxProcess serve(String name, List<String> args) throws Exception {
        BoxProcess box = BoxProcess.serve(dir.resolve(name + ".log"), START, args.toArray(String[]::new));
        assertTrue(box.output().contains("unknown argument ignored: " + LATER_FLAG + " 7"), box.output());
        return box;
    }

    private static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static String png(int width, int height) throws Exception {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, (x * 7 + y * 3) << 8 | x ^ y);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private static JsonNode chat(int port, String model, Object content) throws Exception {
        String body = JSON.writeValueAsString(java.util.Map.of("model", model, "max_tokens", 4, "temperature", 0,
                "messages", List.of(java.util.Map.of("role", "user", "content", content))));
        JsonNode r = ok(BoxProcess.post(port, "/v1/chat/completions", body));
        assertEquals(4, r.at("/usage/completion_tokens").asInt(), r.toString());
        return r;
    }

    @Test
    void theVisionModelInstanceLineServesAChatWithAnImage() throws Exception {
        try (BoxProcess box = serve("vision", instance(TestModels.llama(), "vision", "--mmproj",
                TestModels.projector().toString(), "--max-projected-cache", "10"))) {
            JsonNode r = chat(box.port(), "vision", List.of(
                    java.util.Map.of("type", "image_url", "image_url", java.util.Map.of("url", png(40, 30))),
                    java.util.Map.of("type", "text", "text", "What is this?")));
            assertTrue(r.at("/usage/prompt_tokens").asInt() > 10, r.toString());
            assertTrue(box.output().contains("--max-projected-cache 10 has no effect in this build"), box.output());
        }
    }

    @Test
    void theRerankerLineServesARerank() throws Exception {
        try (BoxProcess box = serve("rerank", instance(TestModels.reranker(), "reranker", "--rerank"))) {
            JsonNode r = ok(BoxProcess.post(box.port(), "/v1/rerank",
                    "{\"model\":\"reranker\",\"query\":\"a cat\",\"documents\":[\"a dog\",\"a cat\",\"the sea\"]}"));
            assertEquals(3, r.get("results").size(), r.toString());
        }
    }

    @Test
    void theEmbeddingModelLineServesEmbeddings() throws Exception {
        try (BoxProcess box = serve("embedding", instance(TestModels.embedding(), "embedder"))) {
            JsonNode r = ok(BoxProcess.post(box.port(), "/v1/embeddings",
                    "{\"model\":\"embedder\",\"input\":[\"hello\",\"world\"]}"));
            assertEquals(2, r.get("data").size(), r.toString());
            assertTrue(r.at("/data/0/embedding").size() > 0, r.toString());
        }
    }

    @Test
    void theImageModelLineServesAnImage() throws Exception {
        Path sd1 = TestModels.sd1();
        try (BoxProcess box = serve("image", instance(sd1, "painter", "--images", "--image-vae-tiling",
                "--tensor-split", "1"))) {
            JsonNode r = ok(BoxProcess.post(box.port(), "/v1/images/generations", "{\"model\":\"painter\","
                    + "\"prompt\":\"a red cube\",\"size\":\"256x256\",\"n\":1,\"sampling_steps\":1,\"seed\":7,"
                    + "\"response_format\":\"b64_json\"}"));
            byte[] image = Base64.getDecoder().decode(r.at("/data/0/b64_json").asText());
            BufferedImage decoded = ImageIO.read(new java.io.ByteArrayInputStream(image));
            assertEquals(256, decoded.getWidth());
        }
    }

    @Test
    void theRpcServerLineCachesTensorsSoThatAReturningClientSendsLess() throws Exception {
        Path model = TestModels.get(WIDE_VOCAB, TestModels.defaultDirectory());
        Path cache = dir.resolve("rpc-cache");
        try (BoxProcess rpc = BoxProcess.rpcServer(dir.resolve("rpc.log"), "--rpc-server-main-gpu", "0",
                "--origin-rpc-server-main-gpu", "3", "--rpc-server-cache", "--rpc-server-cache-dir", cache.toString(),
                "--rpc-server-threads", "2", LATER_FLAG, "7")) {
            assertTrue(rpc.output().contains("unknown argument ignored: " + LATER_FLAG + " 7"), rpc.output());
            assertTrue(rpc.output().contains("launched for the GPU 3 of its launcher"), rpc.output());
            assertTrue(rpc.output().contains("with 2 thread(s)"), rpc.output());
            assertTrue(rpc.output().contains("RPC server caches large tensors in " + cache), rpc.output());
            Load first = mainInstance(rpc, model, "first");
            try (Stream<Path> files = Files.list(cache)) {
                assertTrue(files.findAny().isPresent(), "nothing cached in " + cache);
            }
            Load second = mainInstance(rpc, model, "second");
            System.out.printf("RPC server cache: first load %d ms, %.1f MiB sent to the server; second load %d ms,"
                    + " %.1f MiB%n", first.millis(), first.mib(), second.millis(), second.mib());
            assertTrue(second.mib() < first.mib() - 10, "second " + second + ", first " + first);
            // an override keeps the output matrix (17 MB) in host memory instead of the RPC server's
            Load overridden = mainInstance(rpc, model, "override", "-ot", "output\\.weight=CPU");
            assertTrue(overridden.rpcBufferMiB() < first.rpcBufferMiB() - 10, overridden + " against " + first);
        }
    }

    /**
     * How long a main instance took to become healthy, how much it sent to the RPC server, and how large the
     * model's buffer there was (llama.cpp's own count).
     */
    private record Load(long millis, double mib, double rpcBufferMiB) {
    }

    private static final Pattern RPC_BUFFER = Pattern.compile("RPC\\S* model buffer size = +([0-9.]+) MiB");

    private static final Pattern DISCONNECTED = Pattern.compile(
            "RPC client \\S+ disconnected after .* command\\(s\\), ([0-9.]+) (B|KiB|MiB|GiB) received");

    /** The main-instance line over our RPC server: started, one chat served, stopped. */
    private Load mainInstance(BoxProcess rpc, Path model, String name, String... extra) throws Exception {
        int before = count(rpc, DISCONNECTED);
        List<String> args = instance(model, "split", "--rpc", "127.0.0.1:" + rpc.port(), "--tensor-split", "1");
        args.addAll(List.of(extra));
        long started = System.nanoTime();
        long millis;
        double rpcBuffer;
        try (BoxProcess box = serve(name, args)) {
            millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(box.output().contains("offloaded to RPC0"), box.output());
            Matcher buffer = RPC_BUFFER.matcher(box.output());
            assertTrue(buffer.find(), box.output());
            rpcBuffer = Double.parseDouble(buffer.group(1));
            chat(box.port(), "split", "Hello");
            box.stop();
        }
        // every connection the instance opened is closed now; the gateway logs each as it notices
        Pattern connected = Pattern.compile("RPC client \\S+ connected");
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (count(rpc, DISCONNECTED) < count(rpc, connected)) {
            assertTrue(System.nanoTime() < guard, rpc.output());
            Thread.sleep(50);
        }
        double mib = 0;
        Matcher m = DISCONNECTED.matcher(rpc.output());
        for (int i = 0; m.find(); i++) {
            if (i >= before) {
                double n = Double.parseDouble(m.group(1));
                mib += switch (m.group(2)) {
                    case "B" -> n / (1 << 20);
                    case "KiB" -> n / 1024;
                    case "MiB" -> n;
                    default -> n * 1024;
                };
            }
        }
        return new Load(millis, mib, rpcBuffer);
    }

    private static int count(BoxProcess box, Pattern pattern) throws Exception {
        Matcher m = pattern.matcher(box.output());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
