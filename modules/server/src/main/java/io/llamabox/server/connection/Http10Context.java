package io.llamabox.server.connection;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/** A connection as Helidon's HTTP/1.1 handler sees it when the client speaks HTTP/1.0: its bytes rewritten both ways. */
final class Http10Context implements ConnectionContext {
    private final ConnectionContext connection;
    private final DataReader reader;
    private final DataWriter writer;

    private Http10Context(ConnectionContext connection, DataReader reader, DataWriter writer) {
        this.connection = connection;
        this.reader = reader;
        this.writer = writer;
    }

    static Http10Context of(ConnectionContext connection) {
        Http10Exchanges exchanges = new Http10Exchanges();
        DataWriter raw = connection.dataWriter();
        Http10Requests requests = new Http10Requests(connection.dataReader(), raw, exchanges,
                authority(connection.localPeer()));
        return new Http10Context(connection, new DataReader(requests), new Http10Responses(raw, exchanges));
    }

    /** The {@code host:port} of this end of the connection. */
    private static String authority(PeerInfo local) {
        boolean v6 = local.address() instanceof InetSocketAddress a && a.getAddress() instanceof Inet6Address;
        return (v6 ? "[" + local.host() + "]" : local.host()) + ":" + local.port();
    }

    @Override
    public DataReader dataReader() {
        return reader;
    }

    @Override
    public DataWriter dataWriter() {
        return writer;
    }

    @Override
    public ListenerContext listenerContext() {
        return connection.listenerContext();
    }

    @Override
    public ExecutorService executor() {
        return connection.executor();
    }

    @Override
    public Router router() {
        return connection.router();
    }

    @Override
    public Optional<ProxyProtocolData> proxyProtocolData() {
        return connection.proxyProtocolData();
    }

    @Override
    public HelidonSocket serverSocket() {
        return connection.serverSocket();
    }

    @Override
    public PeerInfo remotePeer() {
        return connection.remotePeer();
    }

    @Override
    public PeerInfo localPeer() {
        return connection.localPeer();
    }

    @Override
    public boolean isSecure() {
        return connection.isSecure();
    }

    @Override
    public String socketId() {
        return connection.socketId();
    }

    @Override
    public String childSocketId() {
        return connection.childSocketId();
    }
}
