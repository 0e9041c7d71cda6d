package io.llamabox.server.routes;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.llamabox.server.EndpointFlags;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.ErrorKind;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The optional endpoints whose flag is off answer 501 {@code not_supported_error} naming the flag, as
 * llama.cpp's server does for {@code /metrics} and {@code /slots}.
 */
public final class SwitchedOffEndpoints implements HttpService {
    private final EndpointFlags flags;
    private final Optional<Path> slotSavePath;

    public SwitchedOffEndpoints(EndpointFlags flags, Optional<Path> slotSavePath) {
        this.flags = flags;
        this.slotSavePath = slotSavePath;
    }

    @Override
    public void routing(HttpRules rules) {
        if (!flags.metrics()) {
            rules.get("/metrics", off("metrics", "--metrics"));
        }
        if (!flags.slots()) {
            rules.get("/slots", off("slots monitoring", "--slots"));
            rules.post("/slots/{id}", off("slot actions", "--slots"));
        } else if (slotSavePath.isEmpty()) {
            rules.post("/slots/{id}", off("slot actions", "--slot-save-path"));
        }
        if (!flags.infill()) {
            rules.post("/infill", off("infill", "--infill"));
        }
        if (!flags.embeddings() && !flags.rerank()) {
            rules.post("/v1/embeddings", off("embeddings", "--embeddings"));
            rules.post("/embeddings", off("embeddings", "--embeddings"));
        }
        if (!flags.rerank()) {
            rules.post("/v1/rerank", off("reranking", "--rerank"));
            rules.post("/rerank", off("reranking", "--rerank"));
        }
        if (!flags.images()) {
            rules.post("/v1/images/generations", off("image generation", "--images"));
            rules.post("/v1/images/edits", off("image editing", "--images"));
        }
    }

    private static Handler off(String what, String flag) {
        return (req, res) -> {
            throw new ApiException(ErrorKind.NOT_SUPPORTED,
                    "This server does not support " + what + ". Start it with `" + flag + "`");
        };
    }
}
