package io.llamabox.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.model.TestModels;
import io.llamabox.testkit.peer.ListeningPorts;
import io.llamabox.testkit.peer.Peer;
import io.llamabox.testkit.peer.PeerServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model split between the local CPU and an RPC server on loopback, in separate processes, generates
 * the same greedy tokens as one process alone: our client with our server, the peer's client with our
 * server, our client with the peer's server. Our server also survives hostile traffic and SIGTERM.
 */
class RpcSplitTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PROMPTS = List.of("Once upon a time", "def f(x):");
    /** The tiny model has 2 blocks: -ngl 2 puts the output layer and the last block on the RPC server. */
    private static final String SPLIT_LAYERS = "2";

    /** What one process alone generates, computed once for both tests. */
    private static List<String> local;

    @TempDir
    Path dir;

    private List<String> local() throws Exception {
        if (local == null) {
            local = ourBox("local");
        }
        return local;
    }

    private static List<String> completions(int port) throws Exception {
        List<String> out = new ArrayList<>();
        for (String prompt : PROMPTS) {
            String body = "{\"prompt\":" + JSON.writeValueAsString(prompt) + ",\"n_predict\":24,\"temperature\":0,\"cache_prompt\":false}";
            JsonNode r = JSON.readTree(BoxProcess.post(port, "/completion", body).body());
            assertEquals(24, r.get("tokens_predicted").asInt(), r.toString());
            out.add(r.get("content").asText());
        }
        return out;
    }

    private static List<String> completions(PeerServer peer) throws Exception {
        List<String> out = new ArrayList<>();
        for (String prompt : PROMPTS) {
            String body = "{\"prompt\":" + JSON.writeValueAsString(prompt) + ",\"n_predict\":24,\"temperature\":0,\"cache_prompt\":false}";
            out.add(JSON.readTree(peer.post("/completion", body).body()).get("content").asText());
        }
        return out;
    }

    private List<String> ourBox(String name, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("-m", TestModels.llama().toString(), "-c", "512"));
        args.addAll(List.of(extra));
        try (BoxProcess box = BoxProcess.serve(dir.resolve(name + ".log"), Duration.ofSeconds(90),
                args.toArray(String[]::new))) {
            List<String> out = completions(box.port());
            if (extra.length > 0) {
                assertTrue(box.output().contains(SPLIT_LAYERS + " layer(s) offloaded to RPC0"), box.output());
            }
            return out;
        }
    }

    private BoxProcess ourRpcServer(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--rpc-server-main-gpu", "-1"));
        args.addAll(List.of(extra));
        return BoxProcess.rpcServer(dir.resolve("rpc-server.log"), args.toArray(String[]::new));
    }

    private static byte[] helloHeader() {
        return ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN).put((byte) RpcGateway.CMD_HELLO).putLong(24).array();
    }

    @Test
    void ourClientAndThePeerSplitAModelWithOurRpcServerAndGenerateWhatALocalRunDoes() throws Exception {
        List<String> local = local();
        try (BoxProcess rpc = ourRpcServer("--rpc-server-reserve-memory", "256")) {
            int rpcPort = rpc.port();
            try (Socket garbage = new Socket("127.0.0.1", rpcPort)) {
                garbage.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                assertEquals(-1, garbage.getInputStream().read(), "closed at once");
            }
            try (Socket huge = new Socket("127.0.0.1", rpcPort)) {
                huge.getOutputStream().write(ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0)
                        .putLong(Long.MAX_VALUE).array());
                assertEquals(-1, huge.getInputStream().read());
            }
            List<String> split;
            // a truncated HELLO held open while a real client splits the model over the same server
            try (Socket truncated = new Socket("127.0.0.1", rpcPort)) {
                OutputStream o = truncated.getOutputStream();
                o.write(helloHeader());
                o.write(new byte[5]);
                o.flush();
                split = ourBox("split", "--rpc", "127.0.0.1:" + rpcPort, "-ngl", SPLIT_LAYERS);
            }
            assertEquals(local, split, "our client with our RPC server");

            List<String> peerAlone;
            try (PeerServer peer = PeerServer.start(TestModels.llama(), List.of("-c", "512"))) {
                peerAlone = completions(peer);
            }
            try (PeerServer peer = PeerServer.start(TestModels.llama(), List.of("-c", "512", "--rpc",
                    "127.0.0.1:" + rpcPort, "-ngl", SPLIT_LAYERS))) {
                assertEquals(peerAlone, completions(peer), "the peer's client with our RPC server");
            }

            assertTrue(rpc.process.isAlive(), rpc.output());
            // our gateway's own lines; a disconnection is logged when the gateway notices it, so wait for it
            Duration limit = Duration.ofSeconds(60);
            rpc.awaitOutput("refused: not a ggml RPC client (first command 71", limit);
            rpc.awaitOutput("refused: not a ggml RPC client (first command 0", limit);
            rpc.awaitOutput(Pattern.compile("RPC client 127\\.0\\.0\\.1:\\d+ connected"), limit);
            rpc.awaitOutput(Pattern.compile("RPC client 127\\.0\\.0\\.1:\\d+ disconnected after .* command\\(s\\)"), limit);
            rpc.stop();
            assertTrue(rpc.output().contains("RPC server stopping"), rpc.output());
        }
    }

    @Test
    void ourClientSplitsAModelWithThePeersRpcServer() throws Exception {
        List<String> local = local();
        Path log = dir.resolve("peer-rpc.log");
        Process server;
        int rpcPort;
        // the peer refuses port 0: a port is reserved (bound with SO_REUSEADDR, never listening, so the kernel
        // hands it to no one else) while the peer binds it, and its socket table says when it listens
        try (Socket reservation = new Socket()) {
            reservation.setReuseAddress(true);
            reservation.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            server = new ProcessBuilder(peerRpcServer().toString(), "-H", "127.0.0.1", "-p",
                    String.valueOf(reservation.getLocalPort()))
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            try {
                rpcPort = ListeningPorts.awaitOne(server, Duration.ofSeconds(60));
            } catch (IOException e) {
                server.destroyForcibly();
                throw new IOException(e.getMessage() + "\n" + Files.readString(log), e);
            }
        }
        try {
            assertEquals(local, ourBox("split", "--rpc", "127.0.0.1:" + rpcPort, "-ngl", SPLIT_LAYERS));
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** The peer's {@code ggml-rpc-server}: on PATH, or where Debian's llama.cpp-tools-extra puts it. */
    private static Path peerRpcServer() {
        try {
            return Peer.executable("ggml-rpc-server");
        } catch (IllegalStateException notOnPath) {
            String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
            Path p = Path.of("/usr/libexec", arch + "-linux-gnu", "llama", "bin", "ggml-rpc-server");
            assertTrue(Files.isExecutable(p), "the peer's ggml-rpc-server is not installed (llama.cpp-tools-extra)");
            return p;
        }
    }
}
