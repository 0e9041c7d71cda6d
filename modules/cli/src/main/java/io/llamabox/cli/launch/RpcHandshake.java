package io.llamabox.cli.launch;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Optional;

/**
 * Checks that an {@code --rpc} server answers ggml's RPC HELLO with a compatible protocol version before
 * ggml's client is pointed at it: that client aborts the whole process when a server is unreachable or
 * speaks another version, where a one-line error is what the user needs.
 */
final class RpcHandshake {
    /** The HELLO request of protocol 8: 24 bytes of connection capabilities, none claimed. */
    private static final int HELLO_PAYLOAD = 24;

    private RpcHandshake() {
    }

    /** What is wrong with the server at {@code host:port}, or empty if it speaks protocol {@code major}.x. */
    static Optional<String> problem(String host, int port, int major, Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            s.setTcpNoDelay(true);
            s.getOutputStream().write(ByteBuffer.allocate(9 + HELLO_PAYLOAD).order(ByteOrder.LITTLE_ENDIAN)
                    .put((byte) RpcGateway.CMD_HELLO).putLong(HELLO_PAYLOAD).array());
            InputStream in = s.getInputStream();
            byte[] size = in.readNBytes(8);
            if (size.length < 8) {
                return Optional.of("it closed the connection at the handshake (is it a ggml RPC server of protocol "
                        + major + ".x?)");
            }
            long n = ByteBuffer.wrap(size).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n < 3 || n > RpcGateway.MAX_HELLO) {
                return Optional.of("it does not answer like a ggml RPC server");
            }
            byte[] version = in.readNBytes(3);
            if (version.length < 3) {
                return Optional.of("it closed the connection inside its answer");
            }
            if (version[0] != major) {
                return Optional.of("it speaks ggml RPC protocol " + version[0] + "." + version[1] + "." + version[2]
                        + " and this llama-box " + major + ".x: run the same llama.cpp version on both sides");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }
}
