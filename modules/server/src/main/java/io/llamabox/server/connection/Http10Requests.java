package io.llamabox.server.connection;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.llamabox.server.http.ApiErrors;
import io.llamabox.server.http.ErrorKind;
import io.llamabox.server.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The bytes of an HTTP/1.0 connection as Helidon's HTTP/1.1 handler reads them. Each request head is
 * rewritten: its version becomes 1.1; {@code Connection: close} is added unless the client asked for
 * {@code keep-alive} (RFC 9112, 9.3: a 1.0 connection closes after each response otherwise); a
 * {@code Host} naming this server is added when the client sent none (1.0 does not require one); and
 * {@code Expect} is dropped, as a 1.0 client takes no interim responses. Bodies pass unchanged, framed by
 * {@code Content-Length}; a 1.0 request with {@code Transfer-Encoding} has faulty framing (RFC 9112, 6.1)
 * and is refused with 400 here. A request of another version on the same connection ends it.
 */
final class Http10Requests implements Supplier<byte[]> {
    /** A head longer than this is passed on as it came, for Helidon to refuse under its own limits. */
    private static final int MAX_HEAD = 64 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final List<String> DROPPED = List.of("Connection", "Keep-Alive", "Expect");

    private final DataReader raw;
    private final DataWriter refusals;
    private final Http10Exchanges exchanges;
    private final String host;
    private final ByteQueue buffer = new ByteQueue();
    private long bodyLeft;
    private boolean passThrough;

    /**
     * @param raw the connection's bytes
     * @param refusals where a refusal of this layer's own is written, straight to the client
     * @param exchanges shared with the response side
     * @param host this server's authority, for requests without {@code Host}
     */
    Http10Requests(DataReader raw, DataWriter refusals, Http10Exchanges exchanges, String host) {
        this.raw = raw;
        this.refusals = refusals;
        this.exchanges = exchanges;
        this.host = host;
    }

    /** The next bytes for Helidon; null is the end of the connection. */
    @Override
    public byte[] get() {
        if (exchanges.closing()) {
            return null;
        }
        if (passThrough) {
            return buffer.size() > 0 || pull() ? buffer.takeAll() : null;
        }
        if (bodyLeft > 0) {
            if (buffer.size() == 0 && !pull()) {
                return null;
            }
            int n = (int) Math.min(bodyLeft, buffer.size());
            bodyLeft -= n;
            return buffer.take(n);
        }
        int end;
        while ((end = buffer.indexOf(MessageHead.END)) < 0) {
            if (buffer.size() > MAX_HEAD) {
                passThrough = true;
                return buffer.takeAll();
            }
            if (!pull()) {
                return buffer.size() == 0 ? null : buffer.takeAll();
            }
        }
        return request(buffer.take(end + MessageHead.END.length));
    }

    private boolean pull() {
        try {
            raw.ensureAvailable();
        } catch (DataReader.InsufficientDataAvailableException e) {
            return false;
        }
        buffer.append(raw.readBytes(raw.available()));
        return true;
    }

    private byte[] request(byte[] head) {
        int from = 0;
        while (from + 1 < head.length && head[from] == '\r' && head[from + 1] == '\n') {
            from += CRLF.length; // empty lines before a request line are ignored (RFC 9112, 2.2)
        }
        byte[] text = Arrays.copyOfRange(head, from, head.length);
        MessageHead h = MessageHead.parse(text);
        String[] start = h == null ? new String[0] : h.startLine().split(" ");
        if (start.length != 3) {
            // not a request line Helidon can take either: it answers 400 and closes
            passThrough = true;
            return text;
        }
        if (!start[2].equals("HTTP/1.0")) {
            return null;
        }
        if (h.has("Transfer-Encoding")) {
            refuse("an HTTP/1.0 request cannot be sent with Transfer-Encoding; give its Content-Length");
            return null;
        }
        String length = h.first("Content-Length");
        if (length != null) {
            try {
                bodyLeft = Math.max(0, Long.parseLong(length));
            } catch (NumberFormatException e) {
                bodyLeft = 0; // Helidon refuses the request (400) and closes
            }
        }
        boolean keepAlive = h.lists("Connection", "keep-alive") && !h.lists("Connection", "close");
        exchanges.requested(new Http10Exchanges.Exchange(keepAlive, start[0].equals("HEAD")));
        List<MessageHead.Field> added = new ArrayList<>();
        if (!h.has("Host")) {
            added.add(new MessageHead.Field("Host", host));
        }
        if (!keepAlive) {
            added.add(new MessageHead.Field("Connection", "close"));
        }
        return h.rewrite(start[0] + " " + start[1] + " HTTP/1.1", DROPPED, added);
    }

    private void refuse(String message) {
        byte[] body = Json.bytes(ApiErrors.of(ErrorKind.INVALID_REQUEST, message));
        String head = "HTTP/1.0 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        BufferData out = BufferData.growing(head.length() + body.length);
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        refusals.writeNow(out);
        exchanges.close();
    }
}
