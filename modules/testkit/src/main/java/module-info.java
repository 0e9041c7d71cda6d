/**
 * Test support for LLaMA Box: a GGUF writer and reader, generators of small random-weight models of
 * real architectures that llama.cpp loads, and helpers that run the installed llama.cpp tools (the
 * peer) for comparisons.
 */
module io.llamabox.testkit {
    requires java.net.http;

    exports io.llamabox.testkit.gguf;
    exports io.llamabox.testkit.model;
    exports io.llamabox.testkit.peer;
    exports io.llamabox.testkit.storm;
}
