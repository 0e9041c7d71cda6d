package io.llamabox.server.connection;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Helidon's HTTP/1.1 responses on an HTTP/1.0 connection, rewritten as they are written: the status
 * line says HTTP/1.0; a chunked body is sent as plain bytes, its end marked by closing the connection
 * (a 1.0 client knows no chunked coding); a body with {@code Content-Length} passes unchanged and keeps
 * the connection when the client asked for that; interim (1xx) responses are dropped. The response
 * that ends the connection tells the request side, which then reads no more.
 */
final class Http10Responses implements DataWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final List<String> DROPPED = List.of("Transfer-Encoding", "Connection", "Keep-Alive");

    private enum State { HEAD, LENGTH, UNTIL_CLOSE, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, DISCARD }

    private final DataWriter raw;
    private final Http10Exchanges exchanges;
    private final ByteQueue pending = new ByteQueue();
    private State state = State.HEAD;
    private long left;
    private boolean closeAfter;

    Http10Responses(DataWriter raw, Http10Exchanges exchanges) {
        this.raw = raw;
        this.exchanges = exchanges;
    }

    @Override
    public void write(BufferData... buffers) {
        for (BufferData b : buffers) {
            write(b);
        }
    }

    @Override
    public void write(BufferData buffer) {
        byte[] out = rewrite(buffer.readBytes());
        if (out.length > 0) {
            raw.write(BufferData.create(out));
        }
    }

    @Override
    public void writeNow(BufferData... buffers) {
        for (BufferData b : buffers) {
            writeNow(b);
        }
    }

    @Override
    public void writeNow(BufferData buffer) {
        byte[] out = rewrite(buffer.readBytes());
        if (out.length > 0) {
            raw.writeNow(BufferData.create(out));
        }
    }

    @Override
    public void flush() {
        raw.flush();
    }

    @Override
    public void close() {
        raw.close();
    }

    private byte[] rewrite(byte[] in) {
        pending.append(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + 64);
        while (pending.size() > 0 && step(out)) {
            // each step takes what the state can use; false: it waits for more bytes
        }
        return out.toByteArray();
    }

    private boolean step(ByteArrayOutputStream out) {
        switch (state) {
            case HEAD -> {
                int end = pending.indexOf(MessageHead.END);
                if (end < 0) {
                    return false;
                }
                head(pending.take(end + MessageHead.END.length), out);
            }
            case LENGTH, CHUNK_DATA -> {
                int n = (int) Math.min(left, pending.size());
                out.writeBytes(pending.take(n));
                left -= n;
                if (left == 0) {
                    if (state == State.LENGTH) {
                        answered();
                    } else {
                        state = State.CHUNK_END;
                    }
                }
            }
            case CHUNK_SIZE -> {
                int eol = pending.indexOf(CRLF);
                if (eol < 0) {
                    return false;
                }
                String line = new String(pending.take(eol + CRLF.length), StandardCharsets.US_ASCII).trim();
                int ext = line.indexOf(';');
                left = Long.parseLong(ext < 0 ? line : line.substring(0, ext).trim(), 16);
                state = left == 0 ? State.TRAILERS : State.CHUNK_DATA;
            }
            case CHUNK_END -> {
                if (pending.size() < CRLF.length) {
                    return false;
                }
                pending.take(CRLF.length);
                state = State.CHUNK_SIZE;
            }
            case TRAILERS -> {
                int eol = pending.indexOf(CRLF);
                if (eol < 0) {
                    return false;
                }
                pending.take(eol + CRLF.length);
                if (eol == 0) {
                    answered();
                }
            }
            case UNTIL_CLOSE -> out.writeBytes(pending.takeAll());
            case DISCARD -> pending.takeAll();
        }
        return true;
    }

    private void head(byte[] bytes, ByteArrayOutputStream out) {
        MessageHead h = MessageHead.parse(bytes);
        String[] start = h == null ? new String[0] : h.startLine().split(" ", 3);
        int status = start.length < 2 ? -1 : parseStatus(start[1]);
        if (status < 0) {
            // not a response head this layer understands: passed as it is, and the connection ends with it
            out.writeBytes(bytes);
            state = State.UNTIL_CLOSE;
            exchanges.close();
            return;
        }
        if (status < 200) {
            return; // a 1.0 client takes no interim response
        }
        Http10Exchanges.Exchange exchange = exchanges.current();
        boolean noBody = exchange.headRequest() || status == 204 || status == 304;
        boolean chunked = !noBody && h.lists("Transfer-Encoding", "chunked");
        String length = h.first("Content-Length");
        boolean untilClose = !noBody && !chunked && length == null;
        closeAfter = !exchange.keepAlive() || h.lists("Connection", "close") || chunked || untilClose;
        String statusLine = "HTTP/1.0 " + start[1] + (start.length > 2 ? " " + start[2] : "");
        out.writeBytes(h.rewrite(statusLine, DROPPED,
                List.of(new MessageHead.Field("Connection", closeAfter ? "close" : "keep-alive"))));
        if (noBody) {
            answered();
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (untilClose) {
            state = State.UNTIL_CLOSE;
            exchanges.close();
        } else {
            left = Long.parseLong(length.trim());
            state = State.LENGTH;
            if (left == 0) {
                answered();
            }
        }
    }

    private static int parseStatus(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void answered() {
        exchanges.answered();
        if (closeAfter) {
            state = State.DISCARD;
            exchanges.close();
        } else {
            state = State.HEAD;
        }
    }
}
