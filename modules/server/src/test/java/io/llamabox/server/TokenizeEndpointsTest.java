package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenizeEndpointsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void tokenizeReturnsTokenIds() throws Exception {
        JsonNode body = TestServer.json(server.post("/tokenize", "{\"content\":\"Hi\"}"));
        assertEquals(TestServer.JSON.readTree("{\"tokens\":[72,105]}"), body);
    }

    @Test
    void tokenizeAddsSpecialTokensOnlyWhenAsked() throws Exception {
        JsonNode body = TestServer.json(server.post("/tokenize", "{\"content\":\"Hi\",\"add_special\":true}"));
        assertEquals(TestServer.JSON.readTree("{\"tokens\":[1,72,105]}"), body);
    }

    @Test
    void tokenizeWithPiecesReturnsIdAndPieceObjects() throws Exception {
        JsonNode body = TestServer.json(server.post("/tokenize", "{\"content\":\"Hi\",\"with_pieces\":true}"));
        assertEquals(TestServer.JSON.readTree("{\"tokens\":[{\"id\":72,\"piece\":\"H\"},{\"id\":105,\"piece\":\"i\"}]}"),
                body);
    }

    @Test
    void tokenizeRejectsAContentThatIsNotAString() throws Exception {
        HttpResponse<String> r = server.post("/tokenize", "{\"content\":5}");
        assertEquals(400, r.statusCode());
        assertEquals("invalid_request_error", TestServer.json(r).at("/error/type").asText());
        assertEquals("\"content\" must be a string", TestServer.json(r).at("/error/message").asText());
    }

    @Test
    void detokenizeReturnsTheText() throws Exception {
        JsonNode body = TestServer.json(server.post("/detokenize", "{\"tokens\":[72,105]}"));
        assertEquals(TestServer.JSON.readTree("{\"content\":\"Hi\"}"), body);
    }

    @Test
    void detokenizeRejectsTokenIdsOutsideTheVocabulary() throws Exception {
        HttpResponse<String> r = server.post("/detokenize", "{\"tokens\":[72," + ScriptedEngine.VOCAB + "]}");
        assertEquals(400, r.statusCode());
        String message = TestServer.json(r).at("/error/message").asText();
        assertTrue(message.contains("tokens[1]") && message.contains("out of range"), message);
        assertEquals(400, server.post("/detokenize", "{\"tokens\":[-1]}").statusCode());
        assertEquals(400, server.post("/detokenize", "{\"tokens\":[\"x\"]}").statusCode());
        assertEquals(400, server.post("/detokenize", "{\"tokens\":\"72\"}").statusCode());
    }
}
