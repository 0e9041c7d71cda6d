package io.llamabox.jni;

/**
 * The facts about a model that a sequence state file of it must agree with: the vocabulary size (token
 * ids), how many positions each cached token has (M-RoPE models keep extra ones) and whether the model's
 * memory is recurrent, whose state llama.cpp lays out differently and which only llama.cpp's own reader
 * checks.
 */
record StateLayout(int nVocab, int positionsPerToken, boolean recurrentMemory) {
}
