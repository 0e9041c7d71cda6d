package io.llamabox.engine;

import io.llamabox.spi.SlotStorage;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** A save, restore or erase of one slot's cache, queued to the scheduler. {@code file} is null for erase. */
record SlotFileAction(Kind kind, int slotId, Path file, CompletableFuture<SlotStorage.SlotFileResult> result) {
    enum Kind { SAVE, RESTORE, ERASE }
}
