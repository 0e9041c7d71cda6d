/**
 * Immutable settings of one llama-box process: what the command line and the {@code LLAMA_ARG_*}
 * variables say, grouped by the part of the server that uses them. No parsing happens here.
 */
module io.llamabox.config {
    exports io.llamabox.config;
}
