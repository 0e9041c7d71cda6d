package io.llamabox.spi;

/** A slot's state for {@code /slots}: idle or processing, and what it holds. */
public record SlotInfo(int id, long taskId, boolean processing, String requestId, int nCtx, int cachedTokens,
                       int promptTokens, int decodedTokens, String cachedPromptPreview) {
}
