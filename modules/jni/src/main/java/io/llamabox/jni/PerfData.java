package io.llamabox.jni;

/** llama.cpp's context performance counters. */
public record PerfData(double startMs, double loadMs, double promptEvalMs, double evalMs, int promptTokens,
                       int evalTokens, int graphReuses) {
}
