package io.llamabox.jni;

/** Facts about a loaded model. */
public record ModelInfo(String architecture, String description, long sizeBytes, long parameterCount, int nCtxTrain,
                        int nEmbd, int nLayer, int nHead, int nHeadKv, int nVocab, int nClassifierOutputs,
                        boolean hasEncoder, boolean hasDecoder, boolean recurrent, int nSwa) {
}
