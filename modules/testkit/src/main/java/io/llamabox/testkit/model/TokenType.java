package io.llamabox.testkit.model;

/** The token types of {@code tokenizer.ggml.token_type}, with llama.cpp's values. */
public enum TokenType {
    NORMAL(1),
    UNKNOWN(2),
    CONTROL(3),
    USER_DEFINED(4),
    UNUSED(5),
    BYTE(6);

    private final int id;

    TokenType(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }
}
