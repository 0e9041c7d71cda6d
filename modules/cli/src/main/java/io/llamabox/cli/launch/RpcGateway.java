package io.llamabox.cli.launch;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public side of RPC-server mode: accepts TCP clients of ggml's RPC protocol and relays each to
 * ggml's own server, which listens on loopback only. In between it logs every client, refuses what does
 * not open with a well-formed HELLO (garbage, a stalled or truncated handshake never reaches ggml, which
 * serves one client at a time and would wait on it forever), drops a client that stalls in the middle
 * of a message, lets the next client in when one leaves, and takes the reserved memory off what the
 * server reports as free.
 *
 * <p>It reads only the framing of the protocol: a request is a command byte, a little-endian 64-bit
 * payload size and the payload; an answer is a 64-bit size and the payload. {@code HELLO} (14) has been
 * the first command of every protocol version, and {@code GET_DEVICE_MEMORY} (11) has answered
 * {@code {free, total}} as two 64-bit numbers since version 3. The memory answer is found by the
 * client's discipline: it waits for the answer to a command before it sends the next one.
 */
final class RpcGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RpcGateway.class);
    static final int CMD_GET_DEVICE_MEMORY = 11;
    static final int CMD_HELLO = 14;
    /** A HELLO larger than this is not ggml's (version 8 sends 24 bytes). */
    static final int MAX_HELLO = 4096;
    private static final int BUFFER = 1 << 16;

    /**
     * Limits and memory accounting.
     *
     * @param handshake how long a new client has to send its HELLO
     * @param midMessage how long a client may stall inside a message (between messages it may idle)
     * @param reserveBytes subtracted from the free memory the server reports
     * @param backendWait how long to retry while ggml's server is not listening yet
     */
    record Limits(Duration handshake, Duration midMessage, long reserveBytes, Duration backendWait) {
        static Limits defaults(long reserveBytes) {
            return new Limits(Duration.ofSeconds(10), Duration.ofSeconds(60), reserveBytes, Duration.ofSeconds(30));
        }
    }

    private final ServerSocket listener;
    private final InetSocketAddress backend;
    private final Limits limits;
    private final Semaphore session = new Semaphore(1, true);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong clients = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile String current = "";
    private volatile boolean closed;
    private final Thread acceptor;

    private RpcGateway(ServerSocket listener, InetSocketAddress backend, Limits limits) {
        this.listener = listener;
        this.backend = backend;
        this.limits = limits;
        this.acceptor = Thread.ofPlatform().name("rpc-gateway-accept").daemon().unstarted(this::acceptLoop);
    }

    /** Listens on {@code host:port} (port 0 picks one) and relays to ggml's server at {@code backend}. */
    static RpcGateway start(String host, int port, InetSocketAddress backend, Limits limits) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(host, port), 64);
        RpcGateway g = new RpcGateway(s, backend, limits);
        g.acceptor.start();
        return g;
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Clients that passed the handshake so far. */
    long clientsServed() {
        return clients.get();
    }

    /** Connections refused before reaching ggml. */
    long refused() {
        return refused.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.error("RPC server: cannot accept connections: {}", e.getMessage());
                }
                return;
            }
            open.add(client);
            Thread.ofVirtual().name("rpc-client-" + client.getRemoteSocketAddress()).start(() -> serve(client));
        }
    }

    private void serve(Socket client) {
        String who = address(client);
        try (client) {
            client.setTcpNoDelay(true);
            byte[] hello = readHello(client, who);
            if (hello == null) {
                refused.incrementAndGet();
                return;
            }
            if (!session.tryAcquire()) {
                LOG.info("RPC client {} waits: ggml serves one client at a time and {} is connected", who, current);
                session.acquire();
            }
            try {
                if (closed) {
                    return;
                }
                current = who;
                clients.incrementAndGet();
                relay(client, who, hello);
            } finally {
                current = "";
                session.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            if (!closed) {
                LOG.info("RPC client {}: {}", who, e.getMessage());
            }
        } finally {
            open.remove(client);
        }
    }

    /** The client's first message if it is a HELLO that arrives in time, else null (and the client is told why in the log). */
    private byte[] readHello(Socket client, String who) throws IOException {
        client.setSoTimeout((int) limits.handshake().toMillis());
        InputStream in = client.getInputStream();
        byte[] header;
        try {
            header = in.readNBytes(9);
        } catch (SocketTimeoutException e) {
            LOG.warn("RPC client {} refused: no HELLO within {} s", who, limits.handshake().toSeconds());
            return null;
        }
        if (header.length < 9) {
            LOG.warn("RPC client {} refused: it closed after {} byte(s), before a complete HELLO", who, header.length);
            return null;
        }
        long size = ByteBuffer.wrap(header, 1, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (header[0] != CMD_HELLO || size < 0 || size > MAX_HELLO) {
            LOG.warn("RPC client {} refused: not a ggml RPC client (first command {}, size {}; expected HELLO)", who,
                    Byte.toUnsignedInt(header[0]), Long.toUnsignedString(size));
            return null;
        }
        byte[] payload;
        try {
            payload = in.readNBytes((int) size);
        } catch (SocketTimeoutException e) {
            LOG.warn("RPC client {} refused: its HELLO stalled", who);
            return null;
        }
        if (payload.length < size) {
            LOG.warn("RPC client {} refused: it closed inside its HELLO", who);
            return null;
        }
        client.setSoTimeout(0);
        byte[] hello = new byte[9 + payload.length];
        System.arraycopy(header, 0, hello, 0, 9);
        System.arraycopy(payload, 0, hello, 9, payload.length);
        return hello;
    }

    private void relay(Socket client, String who, byte[] hello) throws IOException, InterruptedException {
        long started = System.nanoTime();
        try (Socket server = connectBackend()) {
            open.add(server);
            server.setTcpNoDelay(true);
            LOG.info("RPC client {} connected", who);
            server.getOutputStream().write(hello);
            server.getOutputStream().flush();
            AtomicInteger memoryAnswers = new AtomicInteger();
            Counters counters = new Counters();
            counters.in.addAndGet(hello.length);
            Thread down = Thread.ofVirtual().name("rpc-answers-" + who).start(() -> {
                try {
                    answers(server.getInputStream(), client.getOutputStream(), memoryAnswers, counters);
                } catch (IOException e) {
                    LOG.debug("RPC client {}: answers ended: {}", who, e.getMessage());
                } finally {
                    shut(client);
                }
            });
            String end;
            try {
                end = requests(client, server.getOutputStream(), memoryAnswers, counters);
            } catch (SocketTimeoutException e) {
                end = "dropped: it stalled inside a message for " + limits.midMessage().toSeconds() + " s";
            } catch (IOException e) {
                end = closed ? "the server stops" : e.getMessage();
            } finally {
                // the client first: nothing the server still sends may reach a client that was dropped
                shut(client);
                shut(server);
            }
            down.join();
            open.remove(server);
            LOG.info("RPC client {} disconnected after {} s ({}): {} command(s), {} received, {} sent", who,
                    String.format("%.1f", (System.nanoTime() - started) / 1e9), end, counters.commands.get(),
                    bytes(counters.in.get()), bytes(counters.out.get()));
        }
    }

    private static final class Counters {
        final AtomicLong commands = new AtomicLong(1);
        final AtomicLong in = new AtomicLong();
        final AtomicLong out = new AtomicLong();
    }

    private Socket connectBackend() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limits.backendWait().toNanos();
        while (true) {
            Socket s = new Socket();
            try {
                s.connect(backend, 2000);
                return s;
            } catch (ConnectException e) {
                s.close();
                if (System.nanoTime() > deadline || closed) {
                    throw new IOException("ggml's RPC server at " + backend + " does not answer: " + e.getMessage());
                }
                Thread.sleep(50);
            }
        }
    }

    /** Client to server: frame by frame; counts the memory queries whose answers get the reserve taken off. */
    private String requests(Socket client, OutputStream server, AtomicInteger memoryAnswers, Counters counters)
            throws IOException {
        InputStream in = client.getInputStream();
        byte[] header = new byte[9];
        byte[] buf = new byte[BUFFER];
        int stall = (int) limits.midMessage().toMillis();
        while (true) {
            client.setSoTimeout(0);
            int first = in.read();
            if (first < 0) {
                return "it closed the connection";
            }
            client.setSoTimeout(stall);
            header[0] = (byte) first;
            if (in.readNBytes(header, 1, 8) < 8) {
                return "it closed inside a message";
            }
            long size = ByteBuffer.wrap(header, 1, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (size < 0) {
                return "dropped: a message of " + Long.toUnsignedString(size) + " bytes";
            }
            if (first == CMD_GET_DEVICE_MEMORY && limits.reserveBytes() > 0) {
                memoryAnswers.incrementAndGet();
            }
            server.write(header);
            long left = size;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    return "it closed inside a message";
                }
                server.write(buf, 0, n);
                left -= n;
            }
            server.flush();
            counters.commands.incrementAndGet();
            counters.in.addAndGet(9 + size);
        }
    }

    /** Server to client: passes bytes through, except the answers to memory queries, which lose the reserve. */
    private void answers(InputStream fromServer, OutputStream client, AtomicInteger memoryAnswers, Counters counters)
            throws IOException {
        PushbackInputStream in = new PushbackInputStream(fromServer, BUFFER);
        byte[] buf = new byte[BUFFER];
        while (true) {
            int n = in.read(buf);
            if (n < 0) {
                return;
            }
            if (memoryAnswers.get() > 0) {
                // the client waits for this answer before it sends anything else, so these bytes start it
                memoryAnswers.decrementAndGet();
                in.unread(buf, 0, n);
                byte[] size = in.readNBytes(8);
                long length = size.length < 8 ? -1 : ByteBuffer.wrap(size).order(ByteOrder.LITTLE_ENDIAN).getLong();
                if (length < 0 || length > MAX_HELLO) {
                    throw new EOFException("the server's answer to a memory query is not one");
                }
                byte[] answer = new byte[8 + (int) length];
                System.arraycopy(size, 0, answer, 0, 8);
                if (in.readNBytes(answer, 8, (int) length) < length) {
                    throw new EOFException("the server closed inside an answer");
                }
                reserve(answer, limits.reserveBytes());
                client.write(answer);
                counters.out.addAndGet(answer.length);
            } else {
                client.write(buf, 0, n);
                counters.out.addAndGet(n);
            }
            client.flush();
        }
    }

    /**
     * Takes {@code reserve} off the free memory of a {@code {size = 16, free, total}} answer, never below 0;
     * leaves an answer of another shape alone.
     */
    static void reserve(byte[] answer, long reserve) {
        ByteBuffer b = ByteBuffer.wrap(answer).order(ByteOrder.LITTLE_ENDIAN);
        if (answer.length != 24 || b.getLong(0) != 16) {
            return;
        }
        long free = b.getLong(8);
        b.putLong(8, Long.compareUnsigned(free, reserve) > 0 ? free - reserve : 0);
    }

    private static void shut(java.io.Closeable s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is best effort: the socket may be gone already
        }
    }

    private static String address(Socket s) {
        return s.getInetAddress().getHostAddress() + ":" + s.getPort();
    }

    private static String bytes(long n) {
        return n >= 1 << 30 ? String.format("%.1f GiB", n / (double) (1 << 30))
                : n >= 1 << 20 ? String.format("%.1f MiB", n / (double) (1 << 20))
                : n >= 1 << 10 ? String.format("%.1f KiB", n / 1024.0) : n + " B";
    }

    /** Stops accepting and ends every connection. */
    @Override
    public void close() {
        closed = true;
        shut(listener);
        for (Socket s : open) {
            shut(s);
        }
        acceptor.interrupt();
    }
}
