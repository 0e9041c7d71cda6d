package io.llamabox.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * HTTP over a plain socket, byte for byte, for what clients of the JDK cannot show: the version a
 * response says, its framing, and when the server ends the connection.
 */
final class RawHttp implements AutoCloseable {
    /** Far below every idle timeout of the servers tested: a connection left open fails the read. */
    static final Duration EOF_GUARD = Duration.ofSeconds(20);

    private final Socket socket;
    private final InputStream in;

    RawHttp(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout((int) EOF_GUARD.toMillis());
        in = socket.getInputStream();
    }

    void send(String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** Everything until the server closes; fails if it has not closed within {@link #EOF_GUARD}. */
    String readToEof() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open " + EOF_GUARD.toSeconds()
                    + " s after:\n" + out.toString(StandardCharsets.UTF_8), e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** One response framed by its Content-Length, leaving the connection open. */
    String readOne() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the connection closed in a response head: " + head);
            }
            head.write(b);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        String length = header(h, "Content-Length");
        if (length == null) {
            throw new AssertionError("no Content-Length: " + h);
        }
        return h + new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
    }

    /** The first value of a header field in a response's text, or null. */
    static String header(String response, String name) {
        String head = response.substring(0, Math.max(0, response.indexOf("\r\n\r\n")));
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    /** A chunked body decoded; fails unless it ends with the last chunk. */
    static String dechunk(String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int eol = -1;
            for (int i = at; i + 1 < b.length; i++) {
                if (b[i] == '\r' && b[i + 1] == '\n') {
                    eol = i;
                    break;
                }
            }
            if (eol < 0) {
                throw new AssertionError("the chunked body is not terminated: " + body);
            }
            int size = Integer.parseInt(new String(b, at, eol - at, StandardCharsets.US_ASCII).split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toString(StandardCharsets.UTF_8);
            }
            out.write(b, eol + 2, size);
            at = eol + 2 + size + 2;
        }
    }

    /** A request with a JSON body. */
    static String post(String version, String path, String json, String... headers) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " " + version + "\r\n" + String.join("", lines(headers))
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n" + json;
    }

    static String get(String version, String path, String... headers) {
        return "GET " + path + " " + version + "\r\n" + String.join("", lines(headers)) + "\r\n";
    }

    private static String[] lines(String[] headers) {
        String[] out = new String[headers.length];
        for (int i = 0; i < headers.length; i++) {
            out[i] = headers[i] + "\r\n";
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
