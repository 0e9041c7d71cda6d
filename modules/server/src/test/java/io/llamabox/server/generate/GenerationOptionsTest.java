package io.llamabox.server.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llamabox.server.ServerConfig;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.JsonFields;
import io.llamabox.spi.GenerationRequest;
import io.llamabox.spi.TextEngine;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenerationOptionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TextEngine engine = mock(TextEngine.class);

    private GenerationOptions parse(String body, ServerConfig config) throws Exception {
        when(engine.vocabularySize()).thenReturn(100);
        return GenerationOptions.parse(new JsonFields((ObjectNode) JSON.readTree(body)), config, engine,
                List.of("max_tokens", "n_predict"), 0);
    }

    private GenerationOptions parse(String body) throws Exception {
        return parse(body, ServerConfig.builder().build());
    }

    @Test
    void untilTheContextIsFullBecomesNoLimit() throws Exception {
        assertEquals(-1, parse("{\"max_tokens\":-2}").maxTokens());
        assertEquals(-1, parse("{}").maxTokens());
        assertEquals(12, parse("{\"n_predict\":12}").maxTokens());
        assertThrows(ApiException.class, () -> parse("{\"max_tokens\":-3}"));
    }

    @Test
    void aPositiveServerLimitIsTheDefaultAndTheCap() throws Exception {
        ServerConfig config = ServerConfig.builder().nPredict(64).build();
        assertEquals(64, parse("{}", config).maxTokens());
        assertEquals(64, parse("{\"max_tokens\":-1}", config).maxTokens());
        assertEquals(64, parse("{\"max_tokens\":1000}", config).maxTokens());
        assertEquals(10, parse("{\"max_tokens\":10}", config).maxTokens());
    }

    @Test
    void samplerLettersAndNamesBecomeCanonicalNames() throws Exception {
        assertEquals(List.of("penalties", "dry", "top_k", "typ_p", "top_p", "min_p", "xtc", "temperature"),
                parse("{\"samplers\":\"edkypmxt\"}").sampling().samplers());
        assertEquals(List.of("typ_p", "top_p", "temperature"),
                parse("{\"samplers\":[\"typical_p\",\"nucleus\",\"temp\"]}").sampling().samplers());
        ApiException e = assertThrows(ApiException.class, () -> parse("{\"samplers\":\"kq\"}"));
        assertTrue(e.getMessage().contains("'q'"));
        assertThrows(ApiException.class, () -> parse("{\"samplers\":[\"magic\"]}"));
    }

    @Test
    void logitBiasAcceptsPairsAndTextKeys() throws Exception {
        when(engine.tokenize(eq("ab"), anyBoolean(), anyBoolean())).thenReturn(new int[] {7, 8});
        assertEquals(Map.of(3, 1.5f, 7, -2f, 8, -2f),
                parse("{\"logit_bias\":[[3,1.5],[\"ab\",-2]]}").sampling().logitBias());
        assertEquals(Map.of(7, Float.NEGATIVE_INFINITY, 8, Float.NEGATIVE_INFINITY),
                parse("{\"logit_bias\":{\"ab\":false}}").sampling().logitBias());
        assertThrows(ApiException.class, () -> parse("{\"logit_bias\":[[100,1]]}"));
        assertThrows(ApiException.class, () -> parse("{\"logit_bias\":[[1]]}"));
    }

    @Test
    void aDryBaseBelowOneKeepsTheDefaultAsLlamaBoxDoes() throws Exception {
        assertEquals(1.75f, parse("{\"dry_base\":0.5}").sampling().dryBase());
    }

    @Test
    void choicesArePromptMajorAndOnlyTheFirstGetsTheSlot() throws Exception {
        GenerationOptions o = parse("{\"n\":2,\"seed\":-1,\"id_slot\":1}");
        List<GenerationRequest> requests = o.requests("rid", List.of(new int[] {1}, new int[] {2}), 5);
        assertEquals(4, requests.size());
        assertEquals(List.of(1, 1, 2, 2), requests.stream().map(r -> r.prompt()[0]).toList());
        assertEquals(List.of(1, -1, -1, -1), requests.stream().map(GenerationRequest::slotId).toList());
        assertEquals(List.of(-1L, -1L, -1L, -1L), requests.stream().map(r -> r.sampling().seed()).toList(),
                "random seeds stay random");
        assertTrue(requests.stream().allMatch(r -> r.requestId().equals("rid") && r.tokensPerSecond() == 5));
        assertThrows(ApiException.class, () -> parse("{\"n\":0}"));
    }
}
