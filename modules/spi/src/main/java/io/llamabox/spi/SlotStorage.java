package io.llamabox.spi;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * An engine whose slots' KV caches can be saved to files, restored and erased
 * ({@code POST /slots/:id?action=...}). Actions wait for the engine's loop and are refused while
 * the slot is processing a request.
 */
public interface SlotStorage {
    /** What an action did: the tokens it saved, restored or erased, the bytes moved, and how long it took. */
    record SlotFileResult(int slotId, int tokens, long bytes, double millis) {
    }

    CompletableFuture<SlotFileResult> saveSlot(int slotId, Path file);

    CompletableFuture<SlotFileResult> restoreSlot(int slotId, Path file);

    CompletableFuture<SlotFileResult> eraseSlot(int slotId);
}
