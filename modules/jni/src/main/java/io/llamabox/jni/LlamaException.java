package io.llamabox.jni;

/** A failure reported by llama.cpp, ggml or libmtmd. */
public class LlamaException extends RuntimeException {
    public LlamaException(String message) {
        super(message);
    }
}
