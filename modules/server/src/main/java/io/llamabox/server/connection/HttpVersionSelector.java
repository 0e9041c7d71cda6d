package io.llamabox.server.connection;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.Bytes;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.util.Set;

/**
 * Takes the HTTP/1.1 and HTTP/1.0 connections of a listener, in front of Helidon's own HTTP/1.1
 * selector, which refuses 1.0 (a 505). HTTP/1.1 goes to Helidon's handler unchanged; HTTP/1.0 to the
 * same handler through a translation of both directions (see {@link Http10Requests} and
 * {@link Http10Responses}). A connection whose first line has not fully arrived yet is taken too and
 * told apart once it has.
 */
public final class HttpVersionSelector implements ServerConnectionSelector {
    private final ServerConnectionSelector http11;
    private final int maxLine;

    public HttpVersionSelector() {
        Http1Config config = Http1Config.create();
        this.http11 = Http1ConnectionSelector.builder().config(config).build();
        this.maxLine = config.maxPrologueLength();
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData data) {
        int lf = data.indexOf(Bytes.LF_BYTE);
        if (lf == -1) {
            return data.available() <= maxLine ? Support.SUPPORTED : Support.UNSUPPORTED;
        }
        String line = data.readString(lf);
        return line.endsWith(" HTTP/1.1\r") || line.endsWith(" HTTP/1.0\r") ? Support.SUPPORTED : Support.UNSUPPORTED;
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http11.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return new VersionedConnection(ctx, http11, maxLine);
    }
}
