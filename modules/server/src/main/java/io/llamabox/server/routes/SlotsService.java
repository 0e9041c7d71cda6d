package io.llamabox.server.routes;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llamabox.server.http.ApiException;
import io.llamabox.server.http.ErrorKind;
import io.llamabox.server.http.Responses;
import io.llamabox.server.http.ServerContext;
import io.llamabox.server.http.JsonBody;
import io.llamabox.server.http.JsonFields;
import io.llamabox.spi.EngineException;
import io.llamabox.spi.SlotInfo;
import io.llamabox.spi.SlotStorage;
import io.llamabox.spi.TextEngine;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /slots} (with {@code --slots}): each slot's state, 0 idle and 1 processing;
 * {@code ?fail_on_no_slot=1} answers 503 when no slot is idle. With {@code --slot-save-path} too,
 * {@code POST /slots/:id?action=save|restore|erase} moves a slot's cache to or from a file there.
 */
public final class SlotsService implements HttpService {
    private final ServerContext ctx;

    public SlotsService(ServerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/slots", this::slots);
        if (ctx.config().slotSavePath().isPresent()) {
            rules.post("/slots/{id}", this::action);
        }
    }

    private void action(ServerRequest req, ServerResponse res) {
        int id;
        try {
            id = Integer.parseInt(req.path().pathParameters().get("id"));
        } catch (NumberFormatException e) {
            throw ApiException.invalid("the slot id must be a number");
        }
        String action = req.query().contains("action") ? req.query().get("action") : "";
        TextEngine engine = ctx.model().require().engine();
        if (!(engine instanceof SlotStorage store)) {
            throw new ApiException(ErrorKind.NOT_SUPPORTED, "this model's slots cannot be saved");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id_slot", id);
        SlotStorage.SlotFileResult r;
        switch (action) {
            case "save", "restore" -> {
                String name = new JsonFields(JsonBody.read(req, ctx.config().maxRequestBytes())).string("filename")
                        .orElseThrow(() -> ApiException.invalid("\"filename\" is required"));
                Path file = SlotFileNames.resolve(ctx.config().slotSavePath().orElseThrow(), name);
                r = await(action.equals("save") ? store.saveSlot(id, file) : store.restoreSlot(id, file));
                body.put("filename", name);
                if (action.equals("save")) {
                    body.put("n_saved", r.tokens());
                    body.put("n_written", r.bytes());
                    body.put("timings", Map.of("save_ms", r.millis()));
                } else {
                    body.put("n_restored", r.tokens());
                    body.put("n_read", r.bytes());
                    body.put("timings", Map.of("restore_ms", r.millis()));
                }
            }
            case "erase" -> {
                r = await(store.eraseSlot(id));
                body.put("n_erased", r.tokens());
            }
            default -> throw ApiException.invalid("action must be save, restore or erase");
        }
        Responses.json(res, body);
    }

    private static SlotStorage.SlotFileResult await(CompletableFuture<SlotStorage.SlotFileResult> f) {
        try {
            return f.get(10, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof EngineException ee) {
                throw ee;
            }
            throw new ApiException(ErrorKind.INTERNAL, String.valueOf(e.getCause().getMessage()));
        } catch (InterruptedException | TimeoutException e) {
            throw new ApiException(ErrorKind.UNAVAILABLE, "the slot action did not finish");
        }
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
