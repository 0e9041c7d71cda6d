package io.llamabox.spi;

/** Why a generation ended. */
public enum FinishReason {
    /** An end-of-generation token or a stop string. */
    STOP,
    /** The token limit ({@code max_tokens}/{@code n_predict}) or the context was reached. */
    LENGTH,
    /** The client went away or the server is shutting down. */
    CANCELLED
}
