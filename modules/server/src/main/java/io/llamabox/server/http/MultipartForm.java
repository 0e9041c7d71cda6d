package io.llamabox.server.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code multipart/form-data} body (RFC 7578), read whole: the body has already been read within the server's
 * size limit, so parsing it allocates no more than its parts. At most {@value #MAX_PARTS} parts, and part headers of
 * at most {@value #MAX_HEADER_BYTES} bytes; anything malformed is a 400 that says what.
 */
public final class MultipartForm {
    public static final int MAX_PARTS = 64;
    public static final int MAX_HEADER_BYTES = 8192;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    private final List<FormPart> parts;

    private MultipartForm(List<FormPart> parts) {
        this.parts = List.copyOf(parts);
    }

    public List<FormPart> parts() {
        return parts;
    }

    /** The first part of one of these names. */
    public Optional<FormPart> first(String... names) {
        for (FormPart p : parts) {
            for (String n : names) {
                if (p.name().equals(n)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** Parses a body sent with this {@code Content-Type} header. */
    public static MultipartForm parse(String contentType, byte[] body) {
        String boundary = boundary(contentType);
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw ApiException.invalid("the multipart body has no part (no boundary line \"--" + boundary + "\")");
        }
        byte[] separator = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int pos = at + delimiter.length;
        List<FormPart> parts = new ArrayList<>();
        while (true) {
            if (startsWith(body, pos, new byte[] {'-', '-'})) {
                return new MultipartForm(parts); // the closing delimiter; what follows is the epilogue
            }
            pos = skipLinearWhitespace(body, pos);
            if (!startsWith(body, pos, CRLF)) {
                throw ApiException.invalid("the multipart body is malformed: a boundary line does not end in CRLF");
            }
            pos += CRLF.length;
            if (parts.size() == MAX_PARTS) {
                throw ApiException.invalid("the multipart body has more than " + MAX_PARTS + " parts");
            }
            int headersEnd = indexOf(body, HEADER_END, pos);
            boolean noHeaders = startsWith(body, pos, CRLF);
            int contentStart;
            String headers;
            if (noHeaders) {
                headers = "";
                contentStart = pos + CRLF.length;
            } else {
                if (headersEnd < 0 || headersEnd - pos > MAX_HEADER_BYTES) {
                    throw ApiException.invalid("the multipart body is malformed: a part's headers do not end"
                            + " (or are longer than " + MAX_HEADER_BYTES + " bytes)");
                }
                headers = new String(body, pos, headersEnd - pos, StandardCharsets.UTF_8);
                contentStart = headersEnd + HEADER_END.length;
            }
            int contentEnd = indexOf(body, separator, contentStart);
            if (contentEnd < 0) {
                throw ApiException.invalid("the multipart body is truncated: a part has no closing boundary");
            }
            parts.add(part(headers, Arrays.copyOfRange(body, contentStart, contentEnd)));
            pos = contentEnd + separator.length;
        }
    }

    private static FormPart part(String headers, byte[] data) {
        String name = null;
        String filename = null;
        String type = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw ApiException.invalid("the multipart body is malformed: a part header has no name");
            }
            String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (header.equals("content-disposition")) {
                name = parameter(value, "name");
                filename = parameter(value, "filename");
            } else if (header.equals("content-type")) {
                type = value;
            }
        }
        if (name == null) {
            throw ApiException.invalid("a multipart part has no Content-Disposition name");
        }
        return new FormPart(name, filename, type, data);
    }

    /** The boundary parameter of a {@code multipart/form-data} media type. */
    static String boundary(String contentType) {
        if (contentType == null || !contentType.trim().toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw ApiException.invalid("the request must be multipart/form-data, got "
                    + (contentType == null ? "no Content-Type" : "\"" + contentType + "\""));
        }
        String boundary = parameter(contentType, "boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw ApiException.invalid("the multipart/form-data Content-Type needs a boundary of 1 to 70 characters");
        }
        return boundary;
    }

    /** A {@code ; key=value} or {@code ; key="value"} parameter of a header value, or null. */
    static String parameter(String headerValue, String key) {
        String[] pieces = headerValue.split(";(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
        for (int i = 1; i < pieces.length; i++) {
            String piece = pieces[i].trim();
            int eq = piece.indexOf('=');
            if (eq > 0 && piece.substring(0, eq).trim().equalsIgnoreCase(key)) {
                String v = piece.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
                }
                return v;
            }
        }
        return null;
    }

    private static int skipLinearWhitespace(byte[] body, int pos) {
        while (pos < body.length && (body[pos] == ' ' || body[pos] == '\t')) {
            pos++;
        }
        return pos;
    }

    private static boolean startsWith(byte[] body, int pos, byte[] prefix) {
        if (pos < 0 || pos + prefix.length > body.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[pos + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] body, byte[] pattern, int from) {
        outer:
        for (int i = Math.max(0, from); i <= body.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (body[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
