package io.llamabox.spi;

import java.util.Map;

/**
 * What the server says about the loaded model ({@code /v1/models}, {@code /props}). {@code nCtx}
 * is the whole context; {@code nCtxPerSlot} is what each of the {@code slots} may use.
 */
public record ModelDescription(String id, String path, String architecture, long parameterCount, long sizeBytes,
                               int nVocab, int nCtxTrain, int nEmbd, int nCtx, int nCtxPerSlot, int slots,
                               String chatTemplate, String bosToken, String eosToken, boolean addBos,
                               boolean hasFim, Map<String, String> metadata) {
    public ModelDescription {
        metadata = Map.copyOf(metadata);
    }
}
