package io.llamabox.cli.launch;

import static io.llamabox.cli.launch.EmbeddingsMatchPeerTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llamabox.testkit.model.DecoderSpec;
import io.llamabox.testkit.model.TestModels;
import io.llamabox.testkit.peer.PeerServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@code /infill}: the same FIM layout as the peer's, hence the same greedy text. */
class InfillMatchesPeerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void greedyInfillEqualsThePeers(boolean spm) throws Exception {
        Path model = TestModels.get(DecoderSpec.tinyLlama().withFim(true), TestModels.defaultDirectory());
        List<String> extraArgs = spm ? List.of("--spm-infill") : List.of();
        String[] ours = Stream.concat(Stream.of("-m", model.toString(), "--infill", "-c", "1024",
                "-np", "2"), extraArgs.stream()).toArray(String[]::new);
        try (RunningBox box = new RunningBox(ours);
             PeerServer peer = PeerServer.start(model, Stream.concat(
                     Stream.of("-c", "1024", "-np", "2"), extraArgs.stream()).toList())) {
            List<Map<String, Object>> requests = List.of(
                    Map.of("input_prefix", "def add(a, b):\n    ", "input_suffix", "\n    return c\n"),
                    Map.of("input_prefix", "int main() {", "input_suffix", "}", "prompt", "return",
                            "input_extra", List.of(Map.of("filename", "util.h", "text", "int helper(void);"),
                                    Map.of("text", "#define N 4"))),
                    Map.of("input_prefix", "", "input_suffix", "the end"));
            for (Map<String, Object> r : requests) {
                var body = new java.util.HashMap<String, Object>(r);
                body.putAll(Map.of("n_predict", 12, "temperature", 0, "cache_prompt", false));
                String json = JSON.writeValueAsString(body);
                JsonNode mine = ok(box.post("/infill", json));
                PeerServer.Response pr = peer.post("/infill", json);
                assertEquals(200, pr.status(), pr.body());
                JsonNode theirs = JSON.readTree(pr.body());
                assertEquals(theirs.get("content").asText(), mine.get("content").asText(), json);
                assertEquals(theirs.get("tokens_evaluated").asInt(), mine.get("tokens_evaluated").asInt(),
                        "the same prompt length: " + json);
                assertEquals(theirs.get("tokens_predicted").asInt(), mine.get("tokens_predicted").asInt());
            }
        }
    }

    @Test
    void aModelWithoutFimTokensAndBadRequestsGet400() throws Exception {
        Path fim = TestModels.get(DecoderSpec.tinyLlama().withFim(true), TestModels.defaultDirectory());
        try (RunningBox box = new RunningBox("-m", fim.toString(), "--infill", "-c", "512")) {
            String[] bad = {
                "{\"input_suffix\":\"b\"}",
                "{\"input_prefix\":\"a\"}",
                "{\"input_prefix\":5,\"input_suffix\":\"b\"}",
                "{\"input_prefix\":\"a\",\"input_suffix\":\"b\",\"input_extra\":\"c\"}",
                "{\"input_prefix\":\"a\",\"input_suffix\":\"b\",\"input_extra\":[{\"filename\":\"x\"}]}",
                "{\"input_prefix\":\"a\",\"input_suffix\":\"b\",\"input_extra\":[{\"text\":\"x\",\"filename\":1}]}",
                "{\"input_prefix\":[99999],\"input_suffix\":\"b\"}",
            };
            for (String b : bad) {
                HttpResponse<String> r = box.post("/infill", b);
                assertEquals(400, r.statusCode(), b + " -> " + r.body());
            }
        }
        try (RunningBox box = new RunningBox("-m", TestModels.llama().toString(), "--infill", "-c", "512")) {
            HttpResponse<String> r = box.post("/infill", "{\"input_prefix\":\"a\",\"input_suffix\":\"b\"}");
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(r.body().contains("Infill is not supported"), r.body());
        }
    }
}
