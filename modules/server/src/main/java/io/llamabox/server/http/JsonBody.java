package io.llamabox.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/** Reads a request body (as one JSON object, or as bytes), refusing bodies over the size limit. */
public final class JsonBody {
    private JsonBody() {
    }

    public static ObjectNode read(ServerRequest request, long limit) {
        return parse(bytes(request, limit, "a JSON body"));
    }

    /**
     * The whole body, refused with 413 when it is (or says it is) over the limit, and with 400 when there is none.
     *
     * @param what what the request needs, for the error when it has no body ({@code a JSON body})
     */
    public static byte[] bytes(ServerRequest request, long limit, String what) {
        Optional<String> declared = request.headers().first(HeaderNames.CONTENT_LENGTH);
        if (declared.isPresent()) {
            try {
                if (Long.parseLong(declared.get().trim()) > limit) {
                    throw tooLarge(limit);
                }
            } catch (NumberFormatException e) {
                throw ApiException.invalid("Content-Length is not a number");
            }
        }
        if (!request.content().hasEntity()) {
            throw ApiException.invalid("the request needs " + what);
        }
        int cap = (int) Math.min(limit, Integer.MAX_VALUE - 16);
        try (InputStream in = request.content().inputStream()) {
            byte[] bytes = in.readNBytes(cap + 1);
            if (bytes.length > cap) {
                throw tooLarge(limit);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode parse(byte[] bytes) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (node == null || node.isMissingNode()) {
            throw ApiException.invalid("the request needs a JSON body");
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.invalid("the body must be a JSON object");
        }
        return object;
    }

    private static ApiException tooLarge(long limit) {
        return new ApiException(ErrorKind.TOO_LARGE, "the request body is larger than " + limit + " bytes");
    }
}
