package io.llamabox.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** multipart/form-data bodies as RFC 7578 writes them, and the malformed ones refused with what is wrong. */
class MultipartFormTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void partsNamesFilesAndAQuotedBoundaryAreRead() {
        String body = "preamble to ignore\r\n--b q=1\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\n"
                + "a cat; with \"quotes\"\r\n--b q=1\r\ncontent-disposition: form-data; name=\"image\"; filename=\"a;b.png\""
                + "\r\nContent-Type: image/png\r\n\r\n\u0001\u0002\r\n\r\n--b q=1--\r\nepilogue";
        MultipartForm form = MultipartForm.parse("multipart/form-data; boundary=\"b q=1\"", bytes(body));
        assertEquals(2, form.parts().size());
        FormPart prompt = form.first("prompt").orElseThrow();
        assertEquals("a cat; with \"quotes\"", prompt.text());
        assertNull(prompt.filename());
        FormPart image = form.first("image[]", "image").orElseThrow();
        assertEquals("a;b.png", image.filename());
        assertEquals("image/png", image.contentType());
        assertEquals(4, image.data().length, "the CRLF inside the data is data");
    }

    @Test
    void malformedBodiesAreRefused() {
        String type = "multipart/form-data; boundary=xyz";
        assertMessage(() -> MultipartForm.parse("application/json", bytes("{}")), "must be multipart/form-data");
        assertMessage(() -> MultipartForm.parse("multipart/form-data", bytes("")), "boundary");
        assertMessage(() -> MultipartForm.parse(type, bytes("no boundary here")), "no part");
        assertMessage(() -> MultipartForm.parse(type, bytes("--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv")),
                "truncated");
        assertMessage(() -> MultipartForm.parse(type, bytes("--xyz\r\nContent-Disposition: form-data\r\n\r\nv\r\n--xyz--")),
                "no Content-Disposition name");
        assertMessage(() -> MultipartForm.parse(type, bytes("--xyz\r\n" + "X: " + "y".repeat(10000))),
                "headers do not end");
        assertMessage(() -> MultipartForm.parse(type, bytes("--xyzgarbage\r\n")), "CRLF");
    }

    private static void assertMessage(Runnable parse, String says) {
        ApiException e = assertThrows(ApiException.class, parse::run);
        assertEquals(ErrorKind.INVALID_REQUEST, e.kind());
        assertTrue(e.getMessage().contains(says), "\"" + says + "\" in: " + e.getMessage());
    }
}
