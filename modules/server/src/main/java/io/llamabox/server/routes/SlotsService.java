package io.llamabox.server.routes;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.ErrorKind;
import io.llamabox.server.http.Responses;
import io.llamabox.server.http.ServerContext;
import io.llamabox.spi.SlotInfo;
import java.util.List;

/**
 * {@code GET /slots} (with {@code --slots}): each slot's state, 0 idle and 1 processing;
 * {@code ?fail_on_no_slot=1} answers 503 when no slot is idle.
 */
public final class SlotsService implements HttpService {
    private final ServerContext ctx;

    public SlotsService(ServerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/slots", this::slots);
    }

    private void slots(ServerRequest req, ServerResponse res) {
        List<SlotInfo> slots = ctx.model().require().engine().slots();
        String flag = req.query().contains("fail_on_no_slot") ? req.query().get("fail_on_no_slot") : "";
        boolean failOnNoSlot = flag.equals("1") || flag.equals("true");
        if (failOnNoSlot && slots.stream().allMatch(SlotInfo::processing)) {
            throw new ApiException(ErrorKind.UNAVAILABLE, "no slot available");
        }
        Responses.json(res, slots.stream().map(Slot::of).toList());
    }

    record Slot(int id, long idTask, int state, boolean isProcessing, int nCtx, String idRequest, int nPromptTokens,
                int nCachedTokens, int nDecoded, String prompt) {
        static Slot of(SlotInfo s) {
            return new Slot(s.id(), s.processing() ? s.taskId() : -1, s.processing() ? 1 : 0, s.processing(),
                    s.nCtx(), s.requestId(), s.promptTokens(), s.cachedTokens(), s.decodedTokens(),
                    s.cachedPromptPreview());
        }
    }
}
