package io.llamabox.server.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One part of a {@code multipart/form-data} body.
 *
 * @param name        the form field's name
 * @param filename    the file name the client gave, or null for a plain field
 * @param contentType the part's media type, or null when the client gave none
 * @param data        the part's bytes
 */
public record FormPart(String name, String filename, String contentType, byte[] data) {
    public FormPart {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
    }

    /** The part as text (UTF-8), as plain form fields are sent. */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }
}
