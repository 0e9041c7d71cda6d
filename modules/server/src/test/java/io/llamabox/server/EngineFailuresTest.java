package io.llamabox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import io.llamabox.spi.EngineException;
import io.llamabox.spi.FinishReason;
import io.llamabox.spi.GenerationListener;
import io.llamabox.spi.TaskHandle;
import io.llamabox.spi.TextEngine;
import io.llamabox.spi.Usage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP side of engine failures and departing clients, over a Mockito engine. */
class EngineFailuresTest {
    private static final Usage USAGE = new Usage(5, 0, 1, 1, 1, 0, 0);

    private final TextEngine engine = mock(TextEngine.class);

    @BeforeEach
    void describeModel() {
        ScriptedEngine vocabulary = new ScriptedEngine();
        when(engine.model()).thenReturn(vocabulary.model());
        when(engine.vocabularySize()).thenReturn(ScriptedEngine.VOCAB);
        when(engine.tokenize(anyString(), anyBoolean(), anyBoolean())).thenAnswer(
                inv -> vocabulary.tokenize(inv.getArgument(0), inv.getArgument(1), inv.getArgument(2)));
    }

    /** Each submit runs the script on its own thread and returns the given handle. */
    private void onSubmit(TaskHandle handle, Consumer<GenerationListener> script) {
        when(engine.submit(any(), any())).thenAnswer(inv -> {
            GenerationListener listener = inv.getArgument(1);
            Thread.ofPlatform().daemon().start(() -> script.accept(listener));
            return handle;
        });
    }

    @Test
    void aClientThatDisconnectsMidStreamCancelsItsTask() throws Exception {
        TaskHandle handle = mock(TaskHandle.class);
        AtomicBoolean cancelled = new AtomicBoolean();
        doAnswer(inv -> {
            cancelled.set(true);
            return null;
        }).when(handle).cancel();
        onSubmit(handle, l -> {
            l.onStart(0, 5, 0);
            // runs until cancelled: the stream cannot end before the client leaves, however slow the machine
            while (!cancelled.get()) {
                l.onText("tok ", null);
                sleep(10);
            }
            l.onComplete(cancelled.get() ? FinishReason.CANCELLED : FinishReason.STOP, null, USAGE);
        });
        try (TestServer s = TestServer.with(engine, b -> b)) {
            try (Socket socket = new Socket("127.0.0.1", s.server.port())) {
                byte[] body = TestServer.chat(",\"stream\":true").getBytes(StandardCharsets.UTF_8);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8));
                String line = in.readLine();
                while (line != null && !line.contains("tok ")) {
                    line = in.readLine();
                }
                assertNotNull(line, "a piece arrived before the client left");
            }
            verify(handle, timeout(60_000)).cancel(); // a guard against a hang, not a measure
            assertEquals(200, s.get("/health").statusCode(), "the server keeps serving");
        }
    }

    @Test
    void aRequestThatCompletesDoesNotCancelItsTask() throws Exception {
        TaskHandle handle = mock(TaskHandle.class);
        onSubmit(handle, l -> {
            l.onText("done", null);
            l.onComplete(FinishReason.STOP, null, USAGE);
        });
        try (TestServer s = TestServer.with(engine, b -> b)) {
            assertEquals(200, s.post("/v1/chat/completions", TestServer.chat("")).statusCode());
            assertEquals(200, s.post("/v1/chat/completions", TestServer.chat(",\"stream\":true")).statusCode());
        }
        verify(handle, never()).cancel();
    }

    @Test
    void anEngineErrorBeforeAnyOutputGetsAnHttpErrorStatus() throws Exception {
        onSubmit(mock(TaskHandle.class), l -> l.onError(new EngineException(EngineException.Kind.INTERNAL,
                "decode failed")));
        try (TestServer s = TestServer.with(engine, b -> b)) {
            for (String body : List.of(TestServer.chat(",\"stream\":true"), TestServer.chat(""))) {
                HttpResponse<String> r = s.post("/v1/chat/completions", body);
                assertEquals(500, r.statusCode());
                assertEquals("server_error", TestServer.json(r).at("/error/type").asText());
                assertEquals("decode failed", TestServer.json(r).at("/error/message").asText());
            }
        }
    }

    @Test
    void anEngineErrorMidStreamBecomesAnErrorEventWithoutDone() throws Exception {
        onSubmit(mock(TaskHandle.class), l -> {
            l.onStart(0, 5, 0);
            l.onText("a", null);
            l.onError(new EngineException(EngineException.Kind.INTERNAL, "decode failed"));
        });
        try (TestServer s = TestServer.with(engine, b -> b)) {
            HttpResponse<String> r = s.post("/v1/chat/completions", TestServer.chat(",\"stream\":true"));
            assertEquals(200, r.statusCode());
            List<String> events = TestServer.events(r);
            assertEquals(3, events.size(), events.toString());
            JsonNode error = TestServer.JSON.readTree(events.get(2)).get("error");
            assertEquals(500, error.get("code").asInt());
            assertEquals("decode failed", error.get("message").asText());
            assertFalse(events.contains("[DONE]"));
        }
    }

    @Test
    void aRefusalAtSubmitIs400AndCancelsTheChoicesAlreadyQueued() throws Exception {
        TaskHandle first = mock(TaskHandle.class);
        when(engine.submit(any(), any())).thenReturn(first)
                .thenThrow(new EngineException(EngineException.Kind.INVALID_REQUEST, "invalid grammar"));
        try (TestServer s = TestServer.with(engine, b -> b)) {
            HttpResponse<String> r = s.post("/v1/chat/completions", TestServer.chat(",\"n\":2"));
            assertEquals(400, r.statusCode());
            assertEquals("invalid grammar", TestServer.json(r).at("/error/message").asText());
        }
        verify(first).cancel();
    }

    @Test
    void anUnavailableEngineIs503() throws Exception {
        when(engine.submit(any(), any())).thenThrow(new EngineException(EngineException.Kind.UNAVAILABLE,
                "the server is shutting down"));
        try (TestServer s = TestServer.with(engine, b -> b)) {
            HttpResponse<String> r = s.post("/completion", "{\"prompt\":\"Hi\"}");
            assertEquals(503, r.statusCode());
            assertEquals("unavailable_error", TestServer.json(r).at("/error/type").asText());
        }
    }

    @Test
    void anUnexpectedFailureIs500InTheSameShape() throws Exception {
        when(engine.tokenize(anyString(), anyBoolean(), anyBoolean())).thenThrow(new IllegalStateException("boom"));
        try (TestServer s = TestServer.with(engine, b -> b)) {
            HttpResponse<String> r = s.post("/tokenize", "{\"content\":\"x\"}");
            assertEquals(500, r.statusCode());
            JsonNode error = TestServer.json(r).get("error");
            assertEquals(500, error.get("code").asInt());
            assertEquals("server_error", error.get("type").asText());
            assertTrue(error.get("message").asText().contains("boom"));
            assertTrue(r.headers().firstValue("X-Request-ID").isPresent());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
